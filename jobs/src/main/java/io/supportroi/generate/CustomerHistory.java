package io.supportroi.generate;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything one customer did over the simulated period and after it (scheduled outcomes may fall past the end; the
 * writers cut at the as-of date). Besides the records the sources will show, it keeps the planted truth tests and
 * ground_truth.json need: the subscription interval and the outcome of every failed renewal and welcome outreach.
 */
final class CustomerHistory {
    static final long NEVER = Long.MAX_VALUE;
    static final long NONE = -1;

    final CustomerProfile customer;
    /** {@link #NONE} for a customer who never subscribed. */
    long subscriptionStartedAt = NONE;
    /** {@link #NEVER} while the subscription runs. */
    long subscriptionEndedAt = NEVER;
    String subscriptionEndReason;

    final List<SimTicket> tickets = new ArrayList<>();
    final List<SimOrder> orders = new ArrayList<>();
    final List<StripeEvent> stripeEvents = new ArrayList<>();
    final List<SimClaim> claims = new ArrayList<>();
    final List<FailedRenewal> failedRenewals = new ArrayList<>();
    final List<UpsellContact> upsellContacts = new ArrayList<>();

    CustomerHistory(CustomerProfile customer) {
        this.customer = customer;
    }

    /** A renewal whose card failed, and how it ended. */
    record FailedRenewal(int invoice, long renewalAt, Outcome outcome, long resolvedAt, long winbackTicketId) {
        /** Paid during dunning, paid after the win-back ticket, or ended with reason {@code payment_failed}. */
        enum Outcome { DUNNING, SUPPORT, LOST }

        static final long NO_TICKET = -1;
    }

    /** A welcome-upsell outreach; {@code orderId} and {@code orderAt} are -1 when the customer did not convert. */
    record UpsellContact(long ticketId, long contactedAt, boolean converted, long orderId, long orderAt) {}

    boolean subscribed() {
        return subscriptionStartedAt != NONE;
    }

    /** SPEC §4: a subscription is active at t when {@code started_at <= t < ended_at}. */
    boolean activeAt(long t) {
        return subscribed() && subscriptionStartedAt <= t && t < subscriptionEndedAt;
    }
}
