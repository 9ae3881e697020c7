package io.supportroi.generate;

import java.util.List;

/** One Shopify order with its lines, discount, refunds and cancellation, all amounts in cents. */
record SimOrder(
        long id,
        int customer,
        Kind kind,
        long createdAt,
        List<Line> lines,
        String discountCode,
        String discountType,
        long discountCents,
        long cancelledAt,
        List<Refund> refunds) {

    static final long NOT_CANCELLED = -1;

    /** Why the order exists; decides Shopify's {@code source_name} and {@code tags}. */
    enum Kind {
        /** The box paid by the first Stripe invoice. */
        SIGNUP_BOX("subscription_contract", "subscription"),
        /** The box paid by a renewal invoice. */
        RENEWAL_BOX("subscription_contract", "subscription"),
        /** The missed box bought after the welcome-upsell outreach; support drafts it for the customer. */
        UPSELL_BOX("shopify_draft_order", "welcome-upsell"),
        /** A shop-only customer's first purchase. */
        FIRST_PURCHASE("web", ""),
        /** A subscriber's occasional extra purchase. */
        ADD_ON("web", ""),
        /** A shop-only customer's repeat purchase outside a ticket's window. */
        REPEAT("web", ""),
        /** The one purchase a retained shop-only customer makes in a ticket's window. */
        RETENTION("web", "");

        final String sourceName;
        final String tags;

        Kind(String sourceName, String tags) {
            this.sourceName = sourceName;
            this.tags = tags;
        }
    }

    record Line(long id, Catalog.Product product, int quantity) {
        long totalCents() {
            return product.priceCents() * quantity;
        }
    }

    record Refund(long id, long transactionId, long createdAt, long amountCents) {}

    long subtotalCents() {
        long s = 0;
        for (Line l : lines) {
            s += l.totalCents();
        }
        return s;
    }

    long totalCents() {
        return subtotalCents() - discountCents;
    }

    boolean cancelled() {
        return cancelledAt != NOT_CANCELLED;
    }
}
