package io.supportroi.generate;

import java.time.LocalDate;

/**
 * Stripe Event objects. The API version is the one an account upgraded on its release day would have used when the
 * event was created: before 2025-03-31 {@code 2024-06-20} (invoice.subscription, charge.invoice), from then on
 * {@code 2025-03-31.basil} (invoice.parent.subscription_details.subscription, no charge.invoice), so a landing that
 * spans the date holds both shapes, as real exports do.
 */
final class StripeJson {
    private StripeJson() {}

    static final String LEGACY_VERSION = "2024-06-20";
    static final String BASIL_VERSION = "2025-03-31.basil";
    static final long BASIL_FROM = Times.epochSecond(LocalDate.of(2025, 3, 31));

    static void event(JsonWriter w, StripeEvent e, CustomerProfile c) {
        boolean basil = e.created() >= BASIL_FROM;
        w.beginObject();
        w.field("id", Ids.stripeEvent(c.index(), e.seq()));
        w.field("object", "event");
        w.field("api_version", basil ? BASIL_VERSION : LEGACY_VERSION);
        w.field("created", e.created());
        w.name("data").beginObject().name("object");
        if (e instanceof StripeEvent.CustomerCreated cc) {
            customer(w, cc, c);
        } else if (e instanceof StripeEvent.SubscriptionCreated sc) {
            subscription(w, c, sc.startedAt(), sc.billingCycleAnchor(), -1, -1, null, null, "active");
        } else if (e instanceof StripeEvent.SubscriptionDeleted sd) {
            subscription(w, c, sd.startedAt(), -1, sd.canceledAt(), sd.endedAt(), sd.reason(), sd.feedback(),
                    "canceled");
        } else if (e instanceof StripeEvent.Invoice in) {
            invoice(w, in, c, basil);
        } else if (e instanceof StripeEvent.ChargeRefunded cr) {
            charge(w, cr, c, basil);
        } else {
            throw new IllegalStateException("unknown Stripe event " + e);
        }
        w.endObject();
        w.field("livemode", false);
        w.field("pending_webhooks", 0);
        w.name("request").beginObject().nullField("id").nullField("idempotency_key").endObject();
        w.field("type", e.type());
        w.endObject();
    }

    private static void customer(JsonWriter w, StripeEvent.CustomerCreated e, CustomerProfile c) {
        w.beginObject()
                .field("id", Ids.stripeCustomer(c.index()))
                .field("object", "customer")
                .nullField("address")
                .field("created", e.created())
                .nullField("currency")
                .field("delinquent", false)
                .nullField("description")
                .field("email", c.email())
                .field("livemode", false);
        // The subscription app links the Stripe customer to the shop's customer record.
        w.name("metadata").beginObject()
                .field("shopify_customer_id", Long.toString(Ids.shopifyCustomer(c.index()))).endObject();
        w.field("name", c.name())
                .nullField("phone")
                .endObject();
    }

    /** {@code anchor}, {@code canceledAt}, {@code endedAt} are -1 when absent (null). */
    private static void subscription(JsonWriter w, CustomerProfile c, long startedAt, long anchor, long canceledAt,
                                     long endedAt, String reason, String feedback, String status) {
        String sub = Ids.stripeSubscription(c.index());
        w.beginObject();
        w.field("id", sub);
        w.field("object", "subscription");
        if (anchor >= 0) {
            w.field("billing_cycle_anchor", anchor);
        }
        // A cancellation asked for before it took effect was a cancel-at-period-end: Stripe keeps both marks.
        boolean atPeriodEnd = canceledAt >= 0 && endedAt > canceledAt;
        nullableLong(w, "cancel_at", atPeriodEnd ? endedAt : -1);
        w.field("cancel_at_period_end", atPeriodEnd);
        nullableLong(w, "canceled_at", canceledAt);
        w.name("cancellation_details").beginObject()
                .nullField("comment")
                .field("feedback", feedback)
                .field("reason", reason)
                .endObject();
        w.field("collection_method", "charge_automatically");
        w.field("created", startedAt);
        w.field("currency", "usd");
        w.field("customer", Ids.stripeCustomer(c.index()));
        nullableLong(w, "ended_at", endedAt);
        w.name("items").beginObject().field("object", "list").name("data").beginArray();
        w.beginObject()
                .field("id", Ids.stripeSubscriptionItem(c.index()))
                .field("object", "subscription_item");
        w.name("price").beginObject()
                .field("id", Catalog.STRIPE_PRICE)
                .field("object", "price")
                .field("currency", "usd")
                .field("product", Catalog.STRIPE_PRODUCT);
        w.name("recurring").beginObject().field("interval", "month").field("interval_count", 1).endObject();
        w.field("unit_amount", Catalog.BOX.priceCents()).endObject();
        w.field("quantity", 1).endObject();
        w.endArray().field("has_more", false).field("total_count", 1)
                .field("url", "/v1/subscription_items?subscription=" + sub).endObject();
        w.field("livemode", false);
        w.emptyObjectField("metadata");
        w.field("start_date", startedAt);
        w.field("status", status);
        w.endObject();
    }

    private static void invoice(JsonWriter w, StripeEvent.Invoice e, CustomerProfile c, boolean basil) {
        String sub = Ids.stripeSubscription(c.index());
        long amount = e.amountCents();
        w.beginObject();
        w.field("id", Ids.stripeInvoice(c.index(), e.invoice()));
        w.field("object", "invoice");
        w.field("amount_due", amount);
        w.field("amount_paid", e.paid() ? amount : 0);
        w.field("amount_remaining", e.paid() ? 0 : amount);
        w.field("attempt_count", e.attempt());
        w.field("attempted", true);
        w.field("billing_reason", e.billingReason());
        if (!basil) {
            w.field("charge", e.paid() ? Ids.stripeCharge(c.index(), e.invoice()) : null);
        }
        w.field("collection_method", "charge_automatically");
        w.field("created", e.invoiceCreatedAt());
        w.field("currency", "usd");
        w.field("customer", Ids.stripeCustomer(c.index()));
        w.field("customer_email", c.email());
        w.field("customer_name", c.name());
        w.field("livemode", false);
        nullableLong(w, "next_payment_attempt", e.nextAttemptAt());
        if (basil) {
            w.name("parent").beginObject()
                    .nullField("quote_details");
            w.name("subscription_details").beginObject()
                    .emptyObjectField("metadata")
                    .field("subscription", sub)
                    .endObject();
            w.field("type", "subscription_details").endObject();
        }
        w.field("period_end", e.periodEnd());
        w.field("period_start", e.periodStart());
        w.field("status", e.paid() ? "paid" : "open");
        w.name("status_transitions").beginObject()
                .field("finalized_at", e.invoiceCreatedAt())
                .nullField("marked_uncollectible_at");
        nullableLong(w, "paid_at", e.paid() ? e.created() : -1);
        w.nullField("voided_at").endObject();
        if (!basil) {
            w.field("subscription", sub);
        }
        w.field("total", amount);
        w.endObject();
    }

    private static void charge(JsonWriter w, StripeEvent.ChargeRefunded e, CustomerProfile c, boolean basil) {
        String charge = Ids.stripeCharge(c.index(), e.invoice());
        w.beginObject();
        w.field("id", charge);
        w.field("object", "charge");
        w.field("amount", e.amountCents());
        w.field("amount_captured", e.amountCents());
        w.field("amount_refunded", e.refundedCumulativeCents());
        w.field("captured", true);
        w.field("created", e.chargeCreatedAt());
        w.field("currency", "usd");
        w.field("customer", Ids.stripeCustomer(c.index()));
        if (!basil) {
            w.field("invoice", Ids.stripeInvoice(c.index(), e.invoice()));
        }
        w.field("livemode", false);
        w.field("paid", true);
        w.field("refunded", e.refundedCumulativeCents() >= e.amountCents());
        w.name("refunds").beginObject().field("object", "list").name("data").beginArray();
        for (StripeEvent.RefundItem r : e.refunds()) {
            w.beginObject()
                    .field("id", Ids.stripeRefund(c.index(), e.invoice(), r.number()))
                    .field("object", "refund")
                    .field("amount", r.amountCents())
                    .field("charge", charge)
                    .field("created", r.created())
                    .field("currency", "usd")
                    .field("reason", "requested_by_customer")
                    .field("status", "succeeded")
                    .endObject();
        }
        w.endArray().field("has_more", false).field("total_count", e.refunds().size())
                .field("url", "/v1/charges/" + charge + "/refunds").endObject();
        w.field("status", "succeeded");
        w.endObject();
    }

    private static void nullableLong(JsonWriter w, String name, long value) {
        w.name(name);
        if (value < 0) {
            w.nullValue();
        } else {
            w.value(value);
        }
    }
}
