package io.supportroi.generate;

/**
 * The bronze source names the ingest files each landing folder under: ground_truth.json names broken records by them
 * so a check can match them against {@code ops.quarantine.source} directly.
 */
final class Sources {
    private Sources() {}

    static final String ZENDESK_TICKETS = "zendesk_tickets";
    static final String ZENDESK_TICKET_METRICS = "zendesk_ticket_metrics";
    static final String ZENDESK_USERS = "zendesk_users";
    static final String GORGIAS_TICKETS = "gorgias_tickets";
    static final String GORGIAS_SURVEYS = "gorgias_satisfaction_surveys";
    static final String SHOPIFY_ORDERS = "shopify_orders";
    static final String STRIPE_EVENTS = "stripe_events";
    static final String CSV_TICKETS = "csv_tickets";
    static final String CSV_ORDERS = "csv_orders";
    static final String CSV_BILLING = "csv_billing";

    /** The order ground_truth.json lists sources in. */
    static final String[] ALL = {ZENDESK_TICKETS, ZENDESK_TICKET_METRICS, ZENDESK_USERS, GORGIAS_TICKETS,
            GORGIAS_SURVEYS, CSV_TICKETS, SHOPIFY_ORDERS, CSV_ORDERS, STRIPE_EVENTS, CSV_BILLING};

    static int order(String source) {
        for (int i = 0; i < ALL.length; i++) {
            if (ALL[i].equals(source)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown source " + source);
    }
}
