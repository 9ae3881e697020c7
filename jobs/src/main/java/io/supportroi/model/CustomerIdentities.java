package io.supportroi.model;

import io.supportroi.config.Settings;
import io.supportroi.ingest.LandingSource;
import io.supportroi.ingest.Timestamps;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

/**
 * {@code silver.customer_identities}: every source id (Zendesk user, Gorgias customer, Shopify customer, Stripe
 * customer, the customer ids of the canonical CSVs) and the customer it resolves to. Resolution is by normalised
 * email; an id that never came with an email is a customer of its own.
 */
public final class CustomerIdentities {
    private CustomerIdentities() {}

    public static final TableRef TABLE = TableRef.silver("customer_identities");

    public static final String SOURCE = "source";
    public static final String SOURCE_ID = "source_id";
    public static final String EMAIL = "email";
    public static final String NAME = "name";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String FIRST_SEEN_AT = "first_seen_at";
    public static final String LAST_SEEN_AT = "last_seen_at";

    public static final String ZENDESK = "zendesk";
    public static final String GORGIAS = "gorgias";
    public static final String SHOPIFY = "shopify";
    public static final String STRIPE = "stripe";
    /**
     * The canonical CSVs come from systems without an adapter, possibly three different ones: their customer ids
     * live in three namespaces and meet only through email.
     */
    public static final String CSV_TICKETS = "csv_tickets";
    public static final String CSV_ORDERS = "csv_orders";
    public static final String CSV_BILLING = "csv_billing";

    /**
     * Every sighting of a person in any source: source, source id (may be null for an email-only record such as a
     * Shopify guest checkout), normalised email, name, when.
     */
    public static Dataset<Row> observations(BronzeTables b, Settings.IdentitySettings identity) {
        Dataset<Row> zendeskUsers = b.get(LandingSource.ZENDESK_USERS);
        Dataset<Row> zendeskTickets = b.get(LandingSource.ZENDESK_TICKETS);
        Dataset<Row> shopifyOrders = b.get(LandingSource.SHOPIFY_ORDERS);
        Dataset<Row> stripeEvents = b.get(LandingSource.STRIPE_EVENTS);
        Dataset<Row> gorgiasTickets = b.get(LandingSource.GORGIAS_TICKETS);
        Dataset<Row> gorgiasSurveys = b.get(LandingSource.GORGIAS_SATISFACTION_SURVEYS);

        Dataset<Row> zendesk = zendeskUsers
                .filter(coalesce(col("role"), lit("end-user")).equalTo("end-user"))
                .select(lit(ZENDESK).as(SOURCE), col("id").cast("string").as(SOURCE_ID),
                        Identity.normaliseEmail(col("email"), identity).as(EMAIL), col("name").as(NAME),
                        Timestamps.parse(coalesce(col("created_at"), col("updated_at"))).as(FIRST_SEEN_AT));
        Dataset<Row> gorgias = gorgiasTickets
                .select(lit(GORGIAS).as(SOURCE), col("customer.id").cast("string").as(SOURCE_ID),
                        Identity.normaliseEmail(col("customer.email"), identity).as(EMAIL),
                        coalesce(Conform.text(col("customer.name")),
                                concat_ws(" ", col("customer.firstname"), col("customer.lastname"))).as(NAME),
                        Timestamps.parse(col("created_datetime")).as(FIRST_SEEN_AT));
        Dataset<Row> shopify = shopifyOrders
                .select(lit(SHOPIFY).as(SOURCE), col("customer.id").cast("string").as(SOURCE_ID),
                        Identity.normaliseEmail(coalesce(col("customer.email"), col("email")), identity).as(EMAIL),
                        concat_ws(" ", col("customer.first_name"), col("customer.last_name")).as(NAME),
                        Timestamps.parse(col("created_at")).as(FIRST_SEEN_AT));
        Dataset<Row> stripe = stripeEvents
                .filter(col("type").isin("customer.created", "customer.updated"))
                .select(lit(STRIPE).as(SOURCE), col("data.object.id").as(SOURCE_ID),
                        Identity.normaliseEmail(col("data.object.email"), identity).as(EMAIL),
                        col("data.object.name").as(NAME),
                        Timestamps.fromUnixSeconds(col("created")).as(FIRST_SEEN_AT));
        // Ids referenced without an email (a requester missing from the users export, a Stripe customer whose
        // customer.created predates the export) still name a customer; an email seen elsewhere wins over them.
        // Invoices carry a snapshot of the customer's email, which links the id when customer.created is missing.
        Dataset<Row> requesters = zendeskTickets.select(lit(ZENDESK).as(SOURCE),
                col("requester_id").cast("string").as(SOURCE_ID), lit(null).cast("string").as(EMAIL),
                lit(null).cast("string").as(NAME), Timestamps.parse(col("created_at")).as(FIRST_SEEN_AT));
        Dataset<Row> stripeRefs = stripeEvents
                .filter(col("type").startsWith("customer.subscription.").or(col("type").startsWith("invoice."))
                        .or(col("type").startsWith("charge.")))
                .select(lit(STRIPE).as(SOURCE), col("data.object.customer").as(SOURCE_ID),
                        Identity.normaliseEmail(col("data.object.customer_email"), identity).as(EMAIL),
                        lit(null).cast("string").as(NAME),
                        Timestamps.fromUnixSeconds(col("created")).as(FIRST_SEEN_AT));
        Dataset<Row> surveyRefs = gorgiasSurveys.select(lit(GORGIAS).as(SOURCE),
                col("customer_id").cast("string").as(SOURCE_ID), lit(null).cast("string").as(EMAIL),
                lit(null).cast("string").as(NAME),
                Timestamps.parse(coalesce(col("created_datetime"), col("scored_datetime"))).as(FIRST_SEEN_AT));
        Dataset<Row> csvTickets = csv(b.get(LandingSource.CSV_TICKETS), CSV_TICKETS, col("created_at"), identity);
        Dataset<Row> csvOrders = csv(b.get(LandingSource.CSV_ORDERS), CSV_ORDERS, col("ordered_at"), identity);
        Dataset<Row> csvBilling = csv(b.get(LandingSource.CSV_BILLING), CSV_BILLING,
                coalesce(col("started_at"), col("attempted_at"), col("ended_at")), identity);
        return zendesk.unionByName(gorgias).unionByName(shopify).unionByName(stripe).unionByName(requesters)
                .unionByName(stripeRefs).unionByName(surveyRefs)
                .unionByName(csvTickets).unionByName(csvOrders).unionByName(csvBilling)
                .filter(col(SOURCE_ID).isNotNull().or(col(EMAIL).isNotNull()))
                .withColumn(NAME, Conform.text(col(NAME)));
    }

    /** The canonical CSVs all name their customer the same way: customer_id, customer_email, customer_name. */
    private static Dataset<Row> csv(Dataset<Row> rows, String source, Column seenAt,
                                    Settings.IdentitySettings identity) {
        return rows.select(lit(source).as(SOURCE), Conform.text(col("customer_id")).as(SOURCE_ID),
                Identity.normaliseEmail(col("customer_email"), identity).as(EMAIL),
                col("customer_name").as(NAME), Timestamps.parse(seenAt).as(FIRST_SEEN_AT));
    }

    /**
     * One row per (source, source id): the email of its latest dated sighting decides the customer; an undated
     * sighting's email counts only when no dated one has an email ({@link Identity#latestSighting}).
     */
    public static Dataset<Row> apply(Dataset<Row> observations) {
        Column seen = col(FIRST_SEEN_AT);
        return observations.filter(col(SOURCE_ID).isNotNull())
                .groupBy(SOURCE, SOURCE_ID)
                .agg(Identity.latestSighting(col(EMAIL), seen).as(EMAIL),
                        Identity.latestSighting(col(NAME), seen).as(NAME),
                        min(seen).as(FIRST_SEEN_AT),
                        max(seen).as(LAST_SEEN_AT))
                .withColumn(CUSTOMER_ID, customerId(col(SOURCE), col(SOURCE_ID), col(EMAIL)))
                .select(SOURCE, SOURCE_ID, CUSTOMER_ID, EMAIL, NAME, FIRST_SEEN_AT, LAST_SEEN_AT);
    }

    static Column customerId(Column source, Column sourceId, Column email) {
        return when(email.isNotNull(), Identity.customerIdFromEmail(email))
                .otherwise(Identity.customerIdFromSourceId(source, sourceId));
    }

    /**
     * Adds {@code outCol}: the customer of each record of one source, by the source's id where the identity table
     * knows it, else by the record's own normalised email (a guest checkout), else null.
     */
    public static Dataset<Row> resolve(Dataset<Row> records, Dataset<Row> identities, String source,
                                       Column sourceId, Column normalisedEmail, String outCol) {
        Dataset<Row> ids = identities.filter(col(SOURCE).equalTo(source))
                .select(col(SOURCE_ID).as("_i_source_id"), col(CUSTOMER_ID).as("_i_customer_id"));
        return records.withColumn("_r_source_id", sourceId.cast("string"))
                .withColumn("_r_email", normalisedEmail)
                .join(ids, col("_r_source_id").equalTo(col("_i_source_id")), "left")
                .withColumn(outCol, coalesce(col("_i_customer_id"), Identity.customerIdFromEmail(col("_r_email"))))
                .drop("_r_source_id", "_r_email", "_i_source_id", "_i_customer_id");
    }
}
