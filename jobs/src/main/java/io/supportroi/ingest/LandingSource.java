package io.supportroi.ingest;

import io.supportroi.ops.TableRef;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.List;

/**
 * Every landing source: where its files sit, how a file is cut into records, the explicit schema a record is parsed
 * with, and the fields without which a record is quarantined. Fields a source adds later are not in the schema but
 * survive in bronze's {@code _raw} column.
 */
public enum LandingSource {
    ZENDESK_TICKETS("zendesk/tickets", ".json", Format.JSON_PAGE, "tickets", "zendesk_tickets",
            schema(
                    f("id", DataTypes.LongType),
                    f("requester_id", DataTypes.LongType),
                    f("submitter_id", DataTypes.LongType),
                    f("assignee_id", DataTypes.LongType),
                    f("via", schema(f("channel", DataTypes.StringType))),
                    f("status", DataTypes.StringType),
                    f("subject", DataTypes.StringType),
                    f("tags", arrayOf(DataTypes.StringType)),
                    f("created_at", DataTypes.StringType),
                    f("updated_at", DataTypes.StringType),
                    f("satisfaction_rating", schema(f("score", DataTypes.StringType)))),
            // Every Zendesk ticket has a requester: one without cannot be attributed to anybody.
            List.of("id", "requester_id", "created_at", "updated_at"), List.of("created_at", "updated_at"),
            List.of(FieldRule.notFuture("created_at"))),
    ZENDESK_TICKET_METRICS("zendesk/ticket_metrics", ".json", Format.JSON_PAGE, "ticket_metrics",
            "zendesk_ticket_metrics",
            schema(
                    f("id", DataTypes.LongType),
                    f("ticket_id", DataTypes.LongType),
                    f("created_at", DataTypes.StringType),
                    f("updated_at", DataTypes.StringType),
                    f("reply_time_in_seconds", calendarBusiness()),
                    f("reply_time_in_minutes", calendarBusiness()),
                    f("first_resolution_time_in_minutes", calendarBusiness()),
                    f("full_resolution_time_in_minutes", calendarBusiness()),
                    f("requester_wait_time_in_minutes", calendarBusiness()),
                    f("reopens", DataTypes.IntegerType),
                    f("replies", DataTypes.IntegerType),
                    f("solved_at", DataTypes.StringType)),
            List.of("ticket_id"), List.of("updated_at", "solved_at")),
    ZENDESK_USERS("zendesk/users", ".json", Format.JSON_PAGE, "users", "zendesk_users",
            schema(
                    f("id", DataTypes.LongType),
                    f("email", DataTypes.StringType),
                    f("name", DataTypes.StringType),
                    f("role", DataTypes.StringType),
                    f("created_at", DataTypes.StringType),
                    f("updated_at", DataTypes.StringType)),
            List.of("id"), List.of("created_at", "updated_at")),
    SHOPIFY_ORDERS("shopify/orders", ".json", Format.JSON_PAGE, "orders", "shopify_orders",
            schema(
                    f("id", DataTypes.LongType),
                    f("email", DataTypes.StringType),
                    f("created_at", DataTypes.StringType),
                    f("updated_at", DataTypes.StringType),
                    f("cancelled_at", DataTypes.StringType),
                    f("currency", DataTypes.StringType),
                    f("total_price", DataTypes.StringType),
                    f("financial_status", DataTypes.StringType),
                    f("tags", DataTypes.StringType),
                    f("source_name", DataTypes.StringType),
                    f("customer", schema(
                            f("id", DataTypes.LongType),
                            f("email", DataTypes.StringType),
                            f("first_name", DataTypes.StringType),
                            f("last_name", DataTypes.StringType))),
                    f("discount_codes", arrayOf(schema(
                            f("code", DataTypes.StringType),
                            f("amount", DataTypes.StringType),
                            f("type", DataTypes.StringType)))),
                    f("line_items", arrayOf(schema(
                            f("id", DataTypes.LongType),
                            f("sku", DataTypes.StringType),
                            f("quantity", DataTypes.IntegerType),
                            f("price", DataTypes.StringType)))),
                    f("refunds", arrayOf(schema(
                            f("id", DataTypes.LongType),
                            f("created_at", DataTypes.StringType),
                            f("transactions", arrayOf(schema(
                                    f("id", DataTypes.LongType),
                                    f("amount", DataTypes.StringType),
                                    f("kind", DataTypes.StringType),
                                    f("status", DataTypes.StringType)))))))),
            List.of("id", "created_at", "total_price"), List.of("created_at", "cancelled_at"),
            List.of(FieldRule.amount("total_price"), FieldRule.notFuture("created_at"))),
    STRIPE_EVENTS("stripe/events", ".jsonl", Format.JSON_LINES, null, "stripe_events",
            schema(
                    f("id", DataTypes.StringType),
                    f("type", DataTypes.StringType),
                    f("created", DataTypes.LongType),
                    f("api_version", DataTypes.StringType),
                    f("data", schema(f("object", schema(
                            f("id", DataTypes.StringType),
                            f("object", DataTypes.StringType),
                            f("customer", DataTypes.StringType),
                            f("email", DataTypes.StringType),
                            f("name", DataTypes.StringType),
                            f("status", DataTypes.StringType),
                            f("created", DataTypes.LongType),
                            f("start_date", DataTypes.LongType),
                            f("canceled_at", DataTypes.LongType),
                            f("ended_at", DataTypes.LongType),
                            f("cancellation_details", schema(f("reason", DataTypes.StringType))),
                            f("subscription", DataTypes.StringType),
                            f("parent", schema(f("subscription_details",
                                    schema(f("subscription", DataTypes.StringType))))),
                            f("customer_email", DataTypes.StringType),
                            f("billing_reason", DataTypes.StringType),
                            f("charge", DataTypes.StringType),
                            f("next_payment_attempt", DataTypes.LongType),
                            f("period_start", DataTypes.LongType),
                            f("period_end", DataTypes.LongType),
                            f("amount_due", DataTypes.LongType),
                            f("amount_paid", DataTypes.LongType),
                            f("attempt_count", DataTypes.IntegerType),
                            f("currency", DataTypes.StringType),
                            f("status_transitions", schema(f("paid_at", DataTypes.LongType))),
                            f("amount", DataTypes.LongType),
                            f("amount_refunded", DataTypes.LongType),
                            f("invoice", DataTypes.StringType),
                            f("refunds", schema(f("data", arrayOf(schema(
                                    f("id", DataTypes.StringType),
                                    f("amount", DataTypes.LongType),
                                    f("created", DataTypes.LongType),
                                    f("status", DataTypes.StringType))))))))))),
            List.of("id", "type", "created", "data.object"), List.of()),
    /** Gorgias ticket list pages; timestamps are UTC, often without a zone suffix. */
    GORGIAS_TICKETS("gorgias/tickets", ".json", Format.JSON_PAGE, "data", "gorgias_tickets",
            schema(
                    f("id", DataTypes.LongType),
                    f("external_id", DataTypes.StringType),
                    f("status", DataTypes.StringType),
                    f("channel", DataTypes.StringType),
                    f("via", DataTypes.StringType),
                    f("from_agent", DataTypes.BooleanType),
                    f("spam", DataTypes.BooleanType),
                    f("subject", DataTypes.StringType),
                    f("customer", schema(
                            f("id", DataTypes.LongType),
                            f("email", DataTypes.StringType),
                            f("name", DataTypes.StringType),
                            f("firstname", DataTypes.StringType),
                            f("lastname", DataTypes.StringType))),
                    f("assignee_user", schema(
                            f("id", DataTypes.LongType),
                            f("email", DataTypes.StringType),
                            f("name", DataTypes.StringType))),
                    f("assignee_team", schema(
                            f("id", DataTypes.LongType),
                            f("name", DataTypes.StringType))),
                    f("tags", arrayOf(schema(
                            f("id", DataTypes.LongType),
                            f("name", DataTypes.StringType)))),
                    f("messages", arrayOf(schema(
                            f("id", DataTypes.LongType),
                            f("channel", DataTypes.StringType),
                            f("via", DataTypes.StringType),
                            f("from_agent", DataTypes.BooleanType),
                            f("public", DataTypes.BooleanType),
                            f("sender", schema(
                                    f("id", DataTypes.LongType),
                                    f("email", DataTypes.StringType))),
                            f("created_datetime", DataTypes.StringType),
                            f("sent_datetime", DataTypes.StringType)))),
                    f("created_datetime", DataTypes.StringType),
                    f("opened_datetime", DataTypes.StringType),
                    f("updated_datetime", DataTypes.StringType),
                    f("closed_datetime", DataTypes.StringType),
                    f("last_message_datetime", DataTypes.StringType),
                    f("trashed_datetime", DataTypes.StringType)),
            // Every Gorgias ticket belongs to a customer: one without cannot be attributed to anybody.
            List.of("id", "customer", "created_datetime"),
            List.of("created_datetime", "opened_datetime", "updated_datetime", "closed_datetime",
                    "last_message_datetime", "trashed_datetime"),
            List.of(FieldRule.notFuture("created_datetime"), FieldRule.timestamp("messages[].sent_datetime"),
                    FieldRule.timestamp("messages[].created_datetime"))),
    GORGIAS_SATISFACTION_SURVEYS("gorgias/satisfaction_surveys", ".json", Format.JSON_PAGE, "data",
            "gorgias_satisfaction_surveys",
            schema(
                    f("id", DataTypes.LongType),
                    f("ticket_id", DataTypes.LongType),
                    f("customer_id", DataTypes.LongType),
                    f("score", DataTypes.IntegerType),
                    f("body_text", DataTypes.StringType),
                    f("created_datetime", DataTypes.StringType),
                    f("sent_datetime", DataTypes.StringType),
                    f("scored_datetime", DataTypes.StringType)),
            List.of("ticket_id"), List.of("created_datetime", "sent_datetime", "scored_datetime"),
            List.of(FieldRule.range("score", 1, 5))),
    /** Canonical CSV tickets (docs/formats.md): one row per ticket version, every value text. */
    CSV_TICKETS("csv/tickets", ".csv", Format.CSV, null, "csv_tickets",
            strings("ticket_id", "created_at", "updated_at", "status", "channel", "subject", "customer_id",
                    "customer_email", "customer_name", "agent_email", "agent_name", "tags", "first_response_at",
                    "first_response_seconds", "solved_at", "resolution_hours", "agent_replies", "reopens", "csat",
                    "handle_seconds"),
            List.of("ticket_id", "created_at"), List.of("created_at", "updated_at", "first_response_at", "solved_at"),
            List.of(FieldRule.notFuture("created_at"), FieldRule.nonNegative("first_response_seconds"), FieldRule.nonNegative("resolution_hours"),
                    FieldRule.wholeNumber("agent_replies", 0), FieldRule.wholeNumber("reopens", 0),
                    FieldRule.oneOf("csat", "1", "0", "good", "bad"), FieldRule.nonNegative("handle_seconds"))),
    /** Canonical CSV orders: one row per order line and/or refund, order-level columns repeated. */
    CSV_ORDERS("csv/orders", ".csv", Format.CSV, null, "csv_orders",
            strings("order_id", "ordered_at", "updated_at", "customer_id", "customer_email", "customer_name",
                    "currency", "total", "discount_codes", "discount_amount", "cancelled_at", "financial_status",
                    "source_name", "tags", "line_number", "sku", "quantity", "unit_price", "refund_id", "refunded_at",
                    "refund_amount"),
            List.of("order_id", "ordered_at"), List.of("ordered_at", "updated_at", "cancelled_at", "refunded_at"),
            List.of(FieldRule.notFuture("ordered_at"), FieldRule.amount("total"), FieldRule.amount("discount_amount"),
                    FieldRule.wholeNumber("line_number", 1), FieldRule.wholeNumber("quantity", 0),
                    FieldRule.amount("unit_price"),
                    FieldRule.requires("quantity", "sku"), FieldRule.requires("unit_price", "sku"),
                    FieldRule.requires("line_number", "sku"),
                    FieldRule.amount("refund_amount"), FieldRule.requires("refund_amount", "refunded_at"),
                    FieldRule.requires("refunded_at", "refund_amount"), FieldRule.requires("refund_id", "refund_amount"))),
    /** Canonical CSV billing: subscription rows and renewal attempts, subscription columns repeated. */
    CSV_BILLING("csv/billing", ".csv", Format.CSV, null, "csv_billing",
            strings("subscription_id", "customer_id", "customer_email", "customer_name", "started_at", "ended_at",
                    "end_reason", "invoice_id", "attempted_at", "attempt", "amount", "currency", "outcome"),
            List.of("subscription_id"), List.of("started_at", "ended_at", "attempted_at"),
            List.of(FieldRule.requires("end_reason", "ended_at"),
                    FieldRule.requires("invoice_id", "attempted_at"), FieldRule.requires("invoice_id", "outcome"),
                    FieldRule.requires("attempted_at", "invoice_id"), FieldRule.requires("outcome", "invoice_id"),
                    FieldRule.requires("attempt", "invoice_id"), FieldRule.requires("amount", "invoice_id"),
                    FieldRule.oneOf("outcome", "paid", "failed"), FieldRule.wholeNumber("attempt", 1),
                    FieldRule.amount("amount"), FieldRule.notFuture("attempted_at"))),
    REFERENCE_AGENTS("reference", "agents.csv", Format.CSV, null, "reference_agents",
            schema(
                    f("agent_email", DataTypes.StringType),
                    f("agent_name", DataTypes.StringType),
                    f("team", DataTypes.StringType),
                    f("monthly_cost", DataTypes.StringType),
                    f("discount_code", DataTypes.StringType)),
            List.of("agent_email"), List.of(), List.of(FieldRule.money("monthly_cost"))),
    REFERENCE_COSTS("reference", "costs.csv", Format.CSV, null, "reference_costs",
            schema(
                    f("month", DataTypes.StringType),
                    f("item", DataTypes.StringType),
                    f("amount", DataTypes.StringType)),
            List.of("month", "item", "amount"), List.of(),
            List.of(FieldRule.month("month"), FieldRule.money("amount"))),
    REFERENCE_PRODUCTS("reference", "products.csv", Format.CSV, null, "reference_products",
            schema(
                    f("sku", DataTypes.StringType),
                    f("unit_cost", DataTypes.StringType)),
            List.of("sku", "unit_cost"), List.of(), List.of(FieldRule.money("unit_cost"))),
    REFERENCE_CLAIMS("reference", "claims.csv", Format.CSV, null, "reference_claims",
            schema(
                    f("claim_id", DataTypes.StringType),
                    f("order_id", DataTypes.StringType),
                    f("carrier", DataTypes.StringType),
                    f("filed_at", DataTypes.StringType),
                    f("amount_claimed", DataTypes.StringType),
                    f("amount_recovered", DataTypes.StringType),
                    f("recovered_at", DataTypes.StringType),
                    f("agent_email", DataTypes.StringType)),
            List.of("claim_id", "order_id"), List.of("filed_at", "recovered_at"),
            List.of(FieldRule.money("amount_claimed"), FieldRule.money("amount_recovered"),
                    FieldRule.requires("amount_recovered", "recovered_at")));

    /** How a file of the source is cut into records. */
    public enum Format { JSON_PAGE, JSON_LINES, CSV }

    private final String dir;
    private final String fileSuffix;
    private final Format format;
    private final String arrayKey;
    private final TableRef bronze;
    private final StructType schema;
    private final List<String> requiredFields;
    private final List<String> timestampFields;
    private final List<FieldRule> rules;

    LandingSource(String dir, String fileSuffix, Format format, String arrayKey, String bronzeTable,
                  StructType schema, List<String> requiredFields, List<String> timestampFields) {
        this(dir, fileSuffix, format, arrayKey, bronzeTable, schema, requiredFields, timestampFields, List.of());
    }

    LandingSource(String dir, String fileSuffix, Format format, String arrayKey, String bronzeTable,
                  StructType schema, List<String> requiredFields, List<String> timestampFields,
                  List<FieldRule> rules) {
        this.dir = dir;
        this.fileSuffix = fileSuffix;
        this.format = format;
        this.arrayKey = arrayKey;
        this.bronze = TableRef.bronze(bronzeTable);
        this.schema = schema;
        this.requiredFields = requiredFields;
        this.timestampFields = timestampFields;
        this.rules = rules;
    }

    /** Folder under the landing root. */
    public String dir() {
        return dir;
    }

    /** File-name ending the source's files have (a whole file name for reference files). */
    public String fileSuffix() {
        return fileSuffix;
    }

    /**
     * Reference files are snapshots: the latest version of the one file is the whole truth, where every other source
     * adds records to what came before.
     */
    public boolean isSnapshot() {
        return dir.equals("reference");
    }

    public boolean accepts(String fileName) {
        if (isSnapshot()) {
            return fileName.equals(fileSuffix);
        }
        // Stripe exports come as JSON Lines or as JSON arrays.
        return fileName.endsWith(fileSuffix) || (format == Format.JSON_LINES && fileName.endsWith(".json"));
    }

    public Format format() {
        return format;
    }

    public String arrayKey() {
        return arrayKey;
    }

    public TableRef bronze() {
        return bronze;
    }

    public StructType schema() {
        return schema;
    }

    public List<String> requiredFields() {
        return requiredFields;
    }

    /** String fields that must parse as ISO-8601 timestamps when present. */
    public List<String> timestampFields() {
        return timestampFields;
    }

    /** Checks beyond types and presence (numbers in CSV text, allowed words, ranges); a failure quarantines. */
    public List<FieldRule> rules() {
        return rules;
    }

    /** The bronze table's schema: the source's fields plus lineage. */
    public StructType bronzeSchema() {
        return schema
                .add(Bronze.RAW, DataTypes.StringType, true)
                .add(Bronze.SOURCE_FILE, DataTypes.StringType, false)
                .add(Bronze.FILE_HASH, DataTypes.StringType, false)
                .add(Bronze.LINE, DataTypes.LongType, false)
                .add(Bronze.RECORD_INDEX, DataTypes.LongType, false)
                .add(Bronze.INGESTED_AT, DataTypes.TimestampType, false)
                .add(Bronze.RUN_ID, DataTypes.StringType, false);
    }

    public String sourceName() {
        return bronze.name();
    }

    private static StructField f(String name, DataType type) {
        return DataTypes.createStructField(name, type, true);
    }

    private static StructType schema(StructField... fields) {
        return DataTypes.createStructType(fields);
    }

    /** CSV sources: every column is text (the splitter writes JSON strings); rules say what the text must be. */
    private static StructType strings(String... names) {
        StructType t = new StructType();
        for (String n : names) {
            t = t.add(n, DataTypes.StringType, true);
        }
        return t;
    }

    private static ArrayType arrayOf(DataType t) {
        return DataTypes.createArrayType(t, true);
    }

    private static StructType calendarBusiness() {
        return schema(f("calendar", DataTypes.LongType), f("business", DataTypes.LongType));
    }
}
