package io.supportroi.generate;

import java.util.List;

/**
 * One Stripe event of a customer, as structured data; {@link StripeJson} renders it in the API shape of the version
 * current when the event was created. {@code seq} numbers the customer's events (the event id is built from it).
 */
sealed interface StripeEvent {
    int seq();

    long created();

    String type();

    record CustomerCreated(int seq, long created) implements StripeEvent {
        public String type() {
            return "customer.created";
        }
    }

    /** {@code startedAt} is the sign-up instant, the subscription's {@code created} and {@code start_date}. */
    record SubscriptionCreated(int seq, long created, long startedAt, long billingCycleAnchor) implements StripeEvent {
        public String type() {
            return "customer.subscription.created";
        }
    }

    /**
     * The subscription ended. {@code canceledAt} is when the cancellation was asked for (earlier than
     * {@code endedAt} when the customer cancelled at period end); {@code reason} is Stripe's
     * {@code cancellation_details.reason}.
     */
    record SubscriptionDeleted(int seq, long created, long startedAt, long canceledAt, long endedAt, String reason,
                               String feedback) implements StripeEvent {
        public String type() {
            return "customer.subscription.deleted";
        }
    }

    /**
     * {@code invoice.paid} when {@code paid}, else {@code invoice.payment_failed}. {@code nextAttemptAt} is -1 when
     * Stripe will not retry any more.
     */
    record Invoice(int seq, long created, boolean paid, int invoice, String billingReason, long amountCents,
                   int attempt, long nextAttemptAt, long invoiceCreatedAt, long periodStart, long periodEnd)
            implements StripeEvent {
        static final long NO_RETRY = -1;

        public String type() {
            return paid ? "invoice.paid" : "invoice.payment_failed";
        }
    }

    /** A refund on the charge that paid {@code invoice}; {@code refunds} lists every refund so far, newest first. */
    record ChargeRefunded(int seq, long created, int invoice, long chargeCreatedAt, long amountCents,
                          long refundedCumulativeCents, List<RefundItem> refunds) implements StripeEvent {
        public String type() {
            return "charge.refunded";
        }
    }

    record RefundItem(int number, long amountCents, long created) {}
}
