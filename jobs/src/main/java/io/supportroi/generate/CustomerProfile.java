package io.supportroi.generate;

/**
 * Who a customer is: the same clean, lower-case email in Zendesk, Shopify and Stripe. {@code renewalOffsetSec} is the
 * time of day (after midnight UTC of the renewal day) at which the customer's renewals are charged.
 */
record CustomerProfile(
        int index,
        String firstName,
        String lastName,
        String email,
        boolean subscriber,
        long signupAt,
        long renewalOffsetSec) {

    String name() {
        return firstName + " " + lastName;
    }
}
