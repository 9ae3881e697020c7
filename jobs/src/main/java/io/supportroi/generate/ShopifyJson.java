package io.supportroi.generate;

/**
 * Shopify Admin REST order shape as of the as-of date: refunds made later are not there yet, timestamps carry the
 * shop's UTC offset, money is a decimal string.
 */
final class ShopifyJson {
    private ShopifyJson() {}

    /**
     * How the export tool wrote an order: timestamps with the shop zone's offset ({@code shopZone}) or all at one
     * fixed offset (the same instants), money as Shopify's decimal strings or as bare JSON numbers.
     */
    record Style(boolean shopZone, int offsetSeconds, boolean numericMoney) {
        static final Style SHOPIFY = new Style(true, 0, false);
    }

    static void order(JsonWriter w, SimOrder o, CustomerProfile c, long asOf) {
        order(w, o, c, asOf, Style.SHOPIFY);
    }

    static void order(JsonWriter w, SimOrder o, CustomerProfile c, long asOf, Style style) {
        w.exportStyle(!style.shopZone(), style.offsetSeconds(), style.numericMoney());
        body(w, o, c, asOf);
        w.exportStyle(false, 0, false);
    }

    /**
     * What an order looks like on the as-of date: the refunds made by then, whether it was cancelled by then, the
     * financial status that follows and the last change. Shared by every export of the shop.
     */
    record State(long refundedCents, int visibleRefunds, boolean cancelled, String financialStatus, long updatedAt) {
        static State of(SimOrder o, long asOf) {
            long refunded = 0;
            long lastRefund = 0;
            int visibleRefunds = 0;
            for (SimOrder.Refund r : o.refunds()) {
                if (r.createdAt() < asOf) {
                    refunded += r.amountCents();
                    lastRefund = Math.max(lastRefund, r.createdAt());
                    visibleRefunds++;
                }
            }
            boolean cancelled = o.cancelled() && o.cancelledAt() < asOf;
            long total = o.totalCents();
            String financialStatus;
            if (cancelled) {
                // Cancelled before capture: the authorisation is voided, nothing was charged.
                financialStatus = "voided";
            } else if (refunded >= total && refunded > 0) {
                financialStatus = "refunded";
            } else if (refunded > 0) {
                financialStatus = "partially_refunded";
            } else {
                financialStatus = "paid";
            }
            long updated = Math.max(o.createdAt(), Math.max(lastRefund, cancelled ? o.cancelledAt() : 0));
            return new State(refunded, visibleRefunds, cancelled, financialStatus, updated);
        }
    }

    private static void body(JsonWriter w, SimOrder o, CustomerProfile c, long asOf) {
        State state = State.of(o, asOf);
        long refunded = state.refundedCents();
        int visibleRefunds = state.visibleRefunds();
        boolean cancelled = state.cancelled();
        long total = o.totalCents();
        String financialStatus = state.financialStatus();
        long updated = state.updatedAt();
        long number = Ids.shopifyOrderNumber(o.id());

        w.beginObject();
        w.field("id", o.id());
        w.field("admin_graphql_api_id", "gid://shopify/Order/" + o.id());
        w.field("buyer_accepts_marketing", false);
        w.field("cancel_reason", cancelled ? "customer" : null);
        w.name("cancelled_at");
        if (cancelled) {
            w.shopTime(o.cancelledAt());
        } else {
            w.nullValue();
        }
        w.nullField("closed_at");
        w.field("confirmed", true);
        w.field("contact_email", c.email());
        w.shopTimeField("created_at", o.createdAt());
        w.field("currency", "USD");
        w.moneyField("current_total_price", cancelled ? 0 : total - refunded);
        w.name("customer").beginObject()
                .field("id", Ids.shopifyCustomer(c.index()))
                .field("email", c.email())
                .shopTimeField("created_at", c.signupAt())
                .field("first_name", c.firstName())
                .field("last_name", c.lastName())
                .field("state", "enabled")
                .field("verified_email", true)
                .field("tags", "")
                .field("currency", "USD")
                .endObject();
        w.name("discount_codes").beginArray();
        if (o.discountCode() != null) {
            w.beginObject().field("code", o.discountCode()).moneyField("amount", o.discountCents())
                    .field("type", o.discountType()).endObject();
        }
        w.endArray();
        w.field("email", c.email());
        w.field("financial_status", financialStatus);
        w.field("fulfillment_status", cancelled ? null : "fulfilled");
        w.field("name", "#" + number);
        w.nullField("note");
        w.field("order_number", number);
        w.field("presentment_currency", "USD");
        w.shopTimeField("processed_at", o.createdAt());
        w.field("source_name", o.kind().sourceName);
        w.moneyField("subtotal_price", total);
        w.field("tags", o.kind().tags);
        w.field("test", false);
        w.moneyField("total_discounts", o.discountCents());
        w.moneyField("total_line_items_price", o.subtotalCents());
        w.moneyField("total_price", total);
        w.moneyField("total_tax", 0);
        w.shopTimeField("updated_at", updated);
        w.name("line_items").beginArray();
        for (SimOrder.Line l : o.lines()) {
            w.beginObject()
                    .field("id", l.id())
                    .moneyField("price", l.product().priceCents())
                    .field("product_id", l.product().productId())
                    .field("quantity", l.quantity())
                    .field("sku", l.product().sku())
                    .field("title", l.product().title())
                    .moneyField("total_discount", 0)
                    .field("variant_id", l.product().variantId())
                    .endObject();
        }
        w.endArray();
        w.name("refunds").beginArray();
        if (visibleRefunds > 0) {
            for (SimOrder.Refund r : o.refunds()) {
                if (r.createdAt() >= asOf) {
                    continue;
                }
                w.beginObject()
                        .field("id", r.id())
                        .field("admin_graphql_api_id", "gid://shopify/Refund/" + r.id())
                        .shopTimeField("created_at", r.createdAt())
                        .nullField("note")
                        .field("order_id", o.id())
                        .shopTimeField("processed_at", r.createdAt())
                        .field("restock", false);
                w.name("transactions").beginArray().beginObject()
                        .field("id", r.transactionId())
                        .moneyField("amount", r.amountCents())
                        .shopTimeField("created_at", r.createdAt())
                        .field("currency", "USD")
                        .field("gateway", "shopify_payments")
                        .field("kind", "refund")
                        .field("order_id", o.id())
                        .shopTimeField("processed_at", r.createdAt())
                        .field("status", "success")
                        .endObject().endArray();
                w.endObject();
            }
        }
        w.endArray();
        w.endObject();
    }
}
