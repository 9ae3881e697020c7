package io.supportroi.generate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The canonical CSV formats of docs/formats.md (tickets, orders, billing), for a helpdesk, shop or billing system
 * without an adapter. The same simulated records as the Zendesk, Shopify and Stripe exports, cut to the as-of date
 * the same way, so the figures the pipeline derives (first response, resolution, retention, renewals) are the same
 * whichever format carries them. Rows are rendered without their line feed; no field holds a line break, so a row is
 * exactly one line of the file.
 */
final class CsvExports {
    private CsvExports() {}

    static final String TICKETS_HEADER = "ticket_id,created_at,updated_at,status,channel,subject,customer_id,"
            + "customer_email,customer_name,agent_email,agent_name,tags,first_response_at,first_response_seconds,"
            + "solved_at,resolution_hours,agent_replies,reopens,csat,handle_seconds";
    static final String ORDERS_HEADER = "order_id,ordered_at,updated_at,customer_id,customer_email,customer_name,"
            + "currency,total,discount_codes,discount_amount,cancelled_at,financial_status,source_name,tags,"
            + "line_number,sku,quantity,unit_price,refund_id,refunded_at,refund_amount";
    static final String BILLING_HEADER = "subscription_id,customer_id,customer_email,customer_name,started_at,"
            + "ended_at,end_reason,invoice_id,attempted_at,attempt,amount,currency,outcome";

    /**
     * Channel names per simulated raw channel ({@link Channels#RAW} order), as a generic helpdesk writes them; each
     * maps to the same normalised channel as the Zendesk name under the default channel mapping.
     */
    static final String[] CHANNEL = {"email", "web", "chat", "whatsapp", "phone", "twitter", "facebook", "sms"};

    /** Each system keeps its own ids: prefixed, so the three CSV sources and a second helpdesk never collide. */
    static String ticketId(long zendeskTicketId) {
        return "HD-" + zendeskTicketId;
    }

    static String helpdeskCustomer(int customer) {
        return "HC-" + customer;
    }

    static String orderId(long shopifyOrderId) {
        return "SO-" + shopifyOrderId;
    }

    static String shopCustomer(int customer) {
        return "SC-" + customer;
    }

    static String subscriptionId(int customer) {
        return "SUB-" + customer;
    }

    static String billingCustomer(int customer) {
        return "BC-" + customer;
    }

    static String invoiceId(int customer, int invoice) {
        return "INV-" + customer + "-" + invoice;
    }

    /**
     * One ticket as it stands at the cut (Zendesk's view of it: status, last update, reply and solve known or not).
     * First response is given in seconds (reply minutes × 60) and resolution in hours rounded to 4 decimals: a
     * minute is 0.0167 h, so the rounding never moves a ticket across a speed bucket bound (whole hours).
     */
    static String ticket(SimTicket t, ZendeskJson.View v, CustomerProfile c, AgentProfile agent) {
        List<String> tags = new ArrayList<>(2);
        if (t.kind().campaignTag != null) {
            tags.add(t.kind().campaignTag);
            tags.add("outbound");
        } else {
            tags.add(t.topic());
        }
        int replies = v.solved() ? t.replies() : v.replied() ? 1 : 0;
        String csat = v.satisfaction().equals("good") || v.satisfaction().equals("bad") ? v.satisfaction() : "";
        StringBuilder sb = new StringBuilder(400);
        Csv.row(sb,
                ticketId(t.id()),
                Times.utc(t.createdAt()),
                Times.utc(v.updatedAt()),
                v.status(),
                CHANNEL[t.channel()],
                t.subject(),
                helpdeskCustomer(c.index()),
                c.email(),
                c.name(),
                v.assigned() ? agent.email() : "",
                v.assigned() ? agent.name() : "",
                String.join(";", tags),
                v.replied() ? Times.utc(t.repliedAt()) : "",
                v.replied() ? Long.toString(t.replyMinutes() * 60) : "",
                v.solved() ? Times.utc(t.solvedAt()) : "",
                v.solved() ? hours(t.fullResolutionMinutes()) : "",
                Integer.toString(replies),
                Integer.toString(v.solved() ? t.reopens() : 0),
                csat,
                replies > 0 ? Long.toString(handleSeconds(t, replies)) : "");
        return withoutNewline(sb);
    }

    static String hours(long minutes) {
        return BigDecimal.valueOf(minutes).divide(BigDecimal.valueOf(60), 4, RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString();
    }

    /**
     * Agent working time: 1.5 to 8.5 minutes per reply, a function of the ticket id (no random draw of the
     * simulation is spent on it). Only a generic helpdesk's export carries it (SPEC §5).
     */
    static long handleSeconds(SimTicket t, int replies) {
        long perReply = 90 + Math.floorMod(Rng.mix(t.id(), 0x4A4D), 420L);
        return replies * perReply;
    }

    /**
     * An order's rows: one per line, then one per refund made by the cut, the order's own columns repeated on each.
     * Times in the shop's zone (or the style's fixed offset), money with two decimals (or as short as it gets under
     * the style's {@code numericMoney}: {@code 39}, {@code 12.5}).
     */
    static String order(SimOrder o, CustomerProfile c, long asOf, ShopifyJson.Style style) {
        ShopifyJson.State state = ShopifyJson.State.of(o, asOf);
        String[] head = {
                orderId(o.id()),
                time(o.createdAt(), style),
                time(state.updatedAt(), style),
                shopCustomer(c.index()),
                c.email(),
                c.name(),
                "USD",
                money(o.totalCents(), style),
                o.discountCode() == null ? "" : o.discountCode(),
                o.discountCode() == null ? "" : money(o.discountCents(), style),
                state.cancelled() ? time(o.cancelledAt(), style) : "",
                state.financialStatus(),
                o.kind().sourceName,
                o.kind().tags};
        StringBuilder sb = new StringBuilder(300 * (o.lines().size() + 1));
        int line = 1;
        for (SimOrder.Line l : o.lines()) {
            row(sb, head, Integer.toString(line++), l.product().sku(), Integer.toString(l.quantity()),
                    money(l.product().priceCents(), style), "", "", "");
        }
        for (SimOrder.Refund r : o.refunds()) {
            if (r.createdAt() < asOf) {
                row(sb, head, "", "", "", "", "RF-" + r.id(), time(r.createdAt(), style),
                        money(r.amountCents(), style));
            }
        }
        return withoutNewline(sb);
    }

    private static void row(StringBuilder sb, String[] head, String... tail) {
        String[] all = new String[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        Csv.row(sb, all);
    }

    private static String time(long epochSecond, ShopifyJson.Style style) {
        StringBuilder sb = new StringBuilder(25);
        if (style.shopZone()) {
            Times.appendShop(sb, epochSecond);
        } else {
            Times.appendOffset(sb, epochSecond, style.offsetSeconds());
        }
        return sb.toString();
    }

    private static String money(long cents, ShopifyJson.Style style) {
        String text = Csv.money(cents);
        return style.numericMoney() ? new BigDecimal(text).stripTrailingZeros().toPlainString() : text;
    }

    /**
     * A subscription as the billing system shows it at the cut: start, and end with its reason once ended. Every
     * row of the subscription repeats these columns, as a snapshot export does.
     */
    record Subscription(String id, String customerId, CustomerProfile customer, long startedAt, long endedAt,
                        String endReason) {
        static final long ACTIVE = -1;
    }

    static Subscription subscription(CustomerHistory h, long asOf) {
        long ended = Subscription.ACTIVE;
        String reason = null;
        for (StripeEvent e : h.stripeEvents) {
            if (e instanceof StripeEvent.SubscriptionDeleted sd && sd.created() < asOf) {
                ended = sd.endedAt();
                // The billing system's own words: a failed-payment end is involuntary, anything else the customer's.
                reason = sd.reason().equals("payment_failed") ? "payment_failed" : "cancelled_by_customer";
            }
        }
        CustomerProfile c = h.customer;
        return new Subscription(subscriptionId(c.index()), billingCustomer(c.index()), c, h.subscriptionStartedAt,
                ended, reason);
    }

    /** The subscription's own row (no attempt). {@code c} is the customer as this row writes them. */
    static String subscriptionRow(Subscription s, CustomerProfile c) {
        StringBuilder sb = new StringBuilder(200);
        Csv.row(sb, subscriptionColumns(s, c, "", "", "", "", "", ""));
        return withoutNewline(sb);
    }

    /**
     * A renewal attempt: a {@code subscription_cycle} invoice's payment, failed or paid, dated by its event (the
     * first payment at sign-up is not a renewal). Amounts in dollars, not cents.
     */
    static String attemptRow(Subscription s, CustomerProfile c, StripeEvent.Invoice e) {
        StringBuilder sb = new StringBuilder(250);
        Csv.row(sb, subscriptionColumns(s, c, invoiceId(c.index(), e.invoice()), Times.utc(e.created()),
                Integer.toString(e.attempt()), Csv.money(e.amountCents()), "USD", e.paid() ? "paid" : "failed"));
        return withoutNewline(sb);
    }

    static boolean isRenewalAttempt(StripeEvent e) {
        return e instanceof StripeEvent.Invoice in && in.billingReason().equals("subscription_cycle");
    }

    private static String[] subscriptionColumns(Subscription s, CustomerProfile c, String... attempt) {
        boolean ended = s.endedAt() != Subscription.ACTIVE;
        String[] head = {s.id(), s.customerId(), c.email(), c.name(), Times.utc(s.startedAt()),
                ended ? Times.utc(s.endedAt()) : "", ended ? s.endReason() : ""};
        String[] all = new String[head.length + attempt.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(attempt, 0, all, head.length, attempt.length);
        return all;
    }

    private static String withoutNewline(StringBuilder sb) {
        return sb.substring(0, sb.length() - 1);
    }
}
