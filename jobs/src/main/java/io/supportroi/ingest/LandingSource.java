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
            List.of("id", "created_at", "updated_at"), List.of("created_at", "updated_at")),
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
            List.of("id", "created_at", "total_price"), List.of("created_at", "cancelled_at")),
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
                            f("billing_reason", DataTypes.StringType),
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
                                    f("created", DataTypes.LongType))))))))))),
            List.of("id", "type", "created", "data.object"), List.of()),
    REFERENCE_AGENTS("reference", "agents.csv", Format.CSV, null, "reference_agents",
            schema(
                    f("agent_email", DataTypes.StringType),
                    f("agent_name", DataTypes.StringType),
                    f("team", DataTypes.StringType),
                    f("monthly_cost", DataTypes.StringType),
                    f("discount_code", DataTypes.StringType)),
            List.of("agent_email"), List.of()),
    REFERENCE_COSTS("reference", "costs.csv", Format.CSV, null, "reference_costs",
            schema(
                    f("month", DataTypes.StringType),
                    f("item", DataTypes.StringType),
                    f("amount", DataTypes.StringType)),
            List.of("month", "item", "amount"), List.of()),
    REFERENCE_PRODUCTS("reference", "products.csv", Format.CSV, null, "reference_products",
            schema(
                    f("sku", DataTypes.StringType),
                    f("unit_cost", DataTypes.StringType)),
            List.of("sku", "unit_cost"), List.of()),
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
            List.of("claim_id", "order_id"), List.of());

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

    LandingSource(String dir, String fileSuffix, Format format, String arrayKey, String bronzeTable,
                  StructType schema, List<String> requiredFields, List<String> timestampFields) {
        this.dir = dir;
        this.fileSuffix = fileSuffix;
        this.format = format;
        this.arrayKey = arrayKey;
        this.bronze = TableRef.bronze(bronzeTable);
        this.schema = schema;
        this.requiredFields = requiredFields;
        this.timestampFields = timestampFields;
    }

    /** Folder under the landing root. */
    public String dir() {
        return dir;
    }

    /** File-name ending the source's files have (a whole file name for reference files). */
    public String fileSuffix() {
        return fileSuffix;
    }

    public boolean accepts(String fileName) {
        if (format == Format.CSV && dir.equals("reference")) {
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

    private static ArrayType arrayOf(DataType t) {
        return DataTypes.createArrayType(t, true);
    }

    private static StructType calendarBusiness() {
        return schema(f("calendar", DataTypes.LongType), f("business", DataTypes.LongType));
    }
}
