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
 * Gorgias   ticket id        50_000_000_000 + Zendesk ticket id (the same simulated ticket, another helpdesk)
 *           customer id      60_000_000_000 + customer
 *           user (agent) id  70_000_000_000 + agent
 *           message id       Gorgias ticket id * 100 + message (0-99)
 *           survey id        80_000_000_000 + Zendesk ticket id
 *           tag id           1_000 + position in the fixed tag list
 * Claims    CLM-{order id}
 *
 * Broken records a dirty export adds (never a real entity, so one that slipped through would show as an extra):
 * Zendesk   ticket 8_900_000_000 + chunk * 100 + n, user 19_000_000_000 + chunk * 100 + n
 * Gorgias   ticket 59_000_000_000 + chunk * 100 + n, survey 89_000_000_000 + chunk * 100 + n
 * Shopify   order 5_900_000_000_000 + chunk * 100 + n
 * Stripe    evt_X{chunk:6}J{n:4}
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
    static final long GORGIAS_TICKET_BASE = 50_000_000_000L;
    static final long GORGIAS_CUSTOMER_BASE = 60_000_000_000L;
    static final long GORGIAS_USER_BASE = 70_000_000_000L;
    static final long GORGIAS_SURVEY_BASE = 80_000_000_000L;
    static final long GORGIAS_TAG_BASE = 1_000L;
    static final int MESSAGES_PER_TICKET = 100;

    static final long JUNK_ZENDESK_TICKET_BASE = 8_900_000_000L;
    static final long JUNK_ZENDESK_USER_BASE = 19_000_000_000L;
    static final long JUNK_GORGIAS_TICKET_BASE = 59_000_000_000L;
    static final long JUNK_GORGIAS_SURVEY_BASE = 89_000_000_000L;
    static final long JUNK_SHOPIFY_ORDER_BASE = 5_900_000_000_000L;
    /** Broken records per chunk and source stay below this, so junk ids of neighbouring chunks never meet. */
    static final int JUNK_PER_CHUNK = 100;

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

    static long gorgiasTicket(long zendeskTicketId) {
        return GORGIAS_TICKET_BASE + zendeskTicketId;
    }

    static long gorgiasCustomer(int customer) {
        return GORGIAS_CUSTOMER_BASE + customer;
    }

    static long gorgiasUser(int agent) {
        return GORGIAS_USER_BASE + agent;
    }

    static long gorgiasMessage(long gorgiasTicketId, int message) {
        return gorgiasTicketId * MESSAGES_PER_TICKET + message;
    }

    static long gorgiasSurvey(long zendeskTicketId) {
        return GORGIAS_SURVEY_BASE + zendeskTicketId;
    }

    /** Id of the n-th broken record of a chunk in a numeric id range starting at {@code base}. */
    static long junk(long base, int chunk, int n) {
        if (n < 0 || n >= JUNK_PER_CHUNK) {
            throw new IllegalArgumentException("junk record number " + n + " outside 0.." + (JUNK_PER_CHUNK - 1));
        }
        return base + (long) chunk * JUNK_PER_CHUNK + n;
    }

    static String junkStripeEvent(int chunk, int n) {
        StringBuilder sb = pad("evt_X", chunk, 6).append('J');
        appendPadded(sb, n, 4);
        return sb.toString();
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
