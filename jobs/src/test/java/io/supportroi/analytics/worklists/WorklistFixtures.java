package io.supportroi.analytics.worklists;

/** Schemas of the silver columns the worklists read, for hand-written fixtures. */
final class WorklistFixtures {
    private WorklistFixtures() {}

    static final String TICKETS = "ticket_id STRING, customer_id STRING, agent_id STRING, channel STRING, "
            + "status STRING, created_at TIMESTAMP, solved_at TIMESTAMP, resolution_hours DOUBLE, "
            + "tags ARRAY<STRING>, campaign STRING";
    static final String SUBSCRIPTIONS = "subscription_id STRING, customer_id STRING, started_at TIMESTAMP, "
            + "ended_at TIMESTAMP, end_reason STRING";
    static final String ATTEMPTS = "subscription_id STRING, customer_id STRING, invoice_id STRING, "
            + "attempted_at TIMESTAMP, attempt INT, amount DECIMAL(18,2), outcome STRING";
    static final String CUSTOMERS = "customer_id STRING, email STRING, name STRING";
    static final String ORDERS = "order_id STRING, customer_id STRING, ordered_at TIMESTAMP, total DECIMAL(18,2), "
            + "cancelled_at TIMESTAMP";
    static final String VALUES = "customer_id STRING, customer_value DECIMAL(18,2)";
}
