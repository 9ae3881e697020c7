package io.supportroi.generate;

/**
 * Every id the generator writes, derived from the customer index and a per-customer sequence so that chunks simulated
 * in parallel never collide and a re-run gives the same ids. Within a source the ranges of the entities people join
 * on are disjoint (Zendesk tickets below 9e9, agents, end-users, metrics above; Shopify orders below customers), so a
 * foreign key pointing at the wrong entity cannot match by accident. All numeric ids stay below 2^53 so JavaScript
 * and JSON tools read them exactly; {@link GeneratorOptions#MAX_CUSTOMERS} keeps ticket ids below the agent range.
 *
 * <pre>
 * Zendesk   ticket id        1 + customer * ticketStride + k          (k = the customer's k-th ticket)
 *           end-user id      10_000_000_000 + customer
 *           agent user id     9_000_000_000 + agent
 *           ticket metric id 20_000_000_000 + ticket id
 *           CSAT rating id   30_000_000_000 + ticket id
 *           group id         40_000_000_000 + team
 * Shopify   customer id      6_000_000_000_000 + customer
 *           order id         5_000_000_000_000 + customer * orderStride + k
 *           order number     1001 + customer * orderStride + k          (name "#" + number)
 *           line item id     order id * 10 + line (0-4)
 *           refund id        order id * 10 + refund (1-4), transaction id order id * 10 + 5 + refund
 * Stripe    cus_R{customer:10}, sub_R{customer:10}, si_R{customer:10}
 *           in_R{customer:10}I{invoice:3}, ch_R{customer:10}I{invoice:3}, re_R{customer:10}I{invoice:3}R{n}
 *           evt_R{customer:10}E{event:4}
 * Claims    CLM-{order id}
 * </pre>
 */
final class Ids {
    private Ids() {}

    static final long ZENDESK_END_USER_BASE = 10_000_000_000L;
    static final long ZENDESK_AGENT_BASE = 9_000_000_000L;
    static final long ZENDESK_METRIC_BASE = 20_000_000_000L;
    static final long ZENDESK_RATING_BASE = 30_000_000_000L;
    static final long ZENDESK_GROUP_BASE = 40_000_000_000L;
    static final long SHOPIFY_CUSTOMER_BASE = 6_000_000_000_000L;
    static final long SHOPIFY_ORDER_BASE = 5_000_000_000_000L;
    static final long SHOPIFY_ORDER_NUMBER_BASE = 1001L;

    static long zendeskTicket(int customer, int ticketStride, int k) {
        return 1L + (long) customer * ticketStride + k;
    }

    static long zendeskEndUser(int customer) {
        return ZENDESK_END_USER_BASE + customer;
    }

    static long zendeskAgent(int agent) {
        return ZENDESK_AGENT_BASE + agent;
    }

    static long zendeskMetric(long ticketId) {
        return ZENDESK_METRIC_BASE + ticketId;
    }

    static long zendeskRating(long ticketId) {
        return ZENDESK_RATING_BASE + ticketId;
    }

    static long zendeskGroup(int team) {
        return ZENDESK_GROUP_BASE + team;
    }

    static long shopifyCustomer(int customer) {
        return SHOPIFY_CUSTOMER_BASE + customer;
    }

    static long shopifyOrder(int customer, int orderStride, int k) {
        return SHOPIFY_ORDER_BASE + (long) customer * orderStride + k;
    }

    static long shopifyOrderNumber(long orderId) {
        return orderId - SHOPIFY_ORDER_BASE + SHOPIFY_ORDER_NUMBER_BASE;
    }

    static long shopifyLineItem(long orderId, int line) {
        return orderId * 10 + line;
    }

    static long shopifyRefund(long orderId, int refund) {
        return orderId * 10 + refund;
    }

    static long shopifyRefundTransaction(long orderId, int refund) {
        return orderId * 10 + 5 + refund;
    }

    static String stripeCustomer(int customer) {
        return pad("cus_R", customer, 10).toString();
    }

    static String stripeSubscription(int customer) {
        return pad("sub_R", customer, 10).toString();
    }

    static String stripeSubscriptionItem(int customer) {
        return pad("si_R", customer, 10).toString();
    }

    static String stripeInvoice(int customer, int invoice) {
        return withInvoice("in_R", customer, invoice).toString();
    }

    static String stripeCharge(int customer, int invoice) {
        return withInvoice("ch_R", customer, invoice).toString();
    }

    static String stripeRefund(int customer, int invoice, int refund) {
        return withInvoice("re_R", customer, invoice).append('R').append(refund).toString();
    }

    static String stripeEvent(int customer, int event) {
        StringBuilder sb = pad("evt_R", customer, 10).append('E');
        appendPadded(sb, event, 4);
        return sb.toString();
    }

    static String claim(long orderId) {
        return "CLM-" + orderId;
    }

    private static StringBuilder withInvoice(String prefix, int customer, int invoice) {
        StringBuilder sb = pad(prefix, customer, 10).append('I');
        appendPadded(sb, invoice, 3);
        return sb;
    }

    private static StringBuilder pad(String prefix, long value, int width) {
        StringBuilder sb = new StringBuilder(prefix.length() + width + 8).append(prefix);
        appendPadded(sb, value, width);
        return sb;
    }

    private static void appendPadded(StringBuilder sb, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            sb.append('0');
        }
        sb.append(digits);
    }
}
