package io.supportroi.model;

import io.supportroi.config.Settings;
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
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

/**
 * {@code silver.customer_identities}: every source id (Zendesk user, Shopify customer, Stripe customer) and the
 * customer it resolves to. Resolution is by normalised email; an id that never came with an email is a customer
 * of its own.
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
    public static final String SHOPIFY = "shopify";
    public static final String STRIPE = "stripe";

    /**
     * Every sighting of a person in any source: source, source id (may be null for an email-only Shopify
     * order), normalised email, name, when.
     */
    public static Dataset<Row> observations(Dataset<Row> zendeskUsers, Dataset<Row> zendeskTickets,
                                            Dataset<Row> shopifyOrders, Dataset<Row> stripeEvents,
                                            Settings.IdentitySettings identity) {
        Dataset<Row> zendesk = zendeskUsers
                .filter(coalesce(col("role"), lit("end-user")).equalTo("end-user"))
                .select(lit(ZENDESK).as(SOURCE), col("id").cast("string").as(SOURCE_ID),
                        Identity.normaliseEmail(col("email"), identity).as(EMAIL), col("name").as(NAME),
                        Timestamps.parse(coalesce(col("created_at"), col("updated_at"))).as(FIRST_SEEN_AT));
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
        Dataset<Row> requesters = zendeskTickets.select(lit(ZENDESK).as(SOURCE),
                col("requester_id").cast("string").as(SOURCE_ID), lit(null).cast("string").as(EMAIL),
                lit(null).cast("string").as(NAME), Timestamps.parse(col("created_at")).as(FIRST_SEEN_AT));
        Dataset<Row> stripeRefs = stripeEvents
                .filter(col("type").startsWith("customer.subscription.").or(col("type").startsWith("invoice.")))
                .select(lit(STRIPE).as(SOURCE), col("data.object.customer").as(SOURCE_ID),
                        lit(null).cast("string").as(EMAIL), lit(null).cast("string").as(NAME),
                        Timestamps.fromUnixSeconds(col("created")).as(FIRST_SEEN_AT));
        return zendesk.unionByName(shopify).unionByName(stripe).unionByName(requesters).unionByName(stripeRefs)
                .filter(col(SOURCE_ID).isNotNull().or(col(EMAIL).isNotNull()))
                .withColumn(NAME, when(col(NAME).equalTo(""), lit(null)).otherwise(col(NAME)));
    }

    /** One row per (source, source id): the latest email it was seen with decides the customer. */
    public static Dataset<Row> apply(Dataset<Row> observations) {
        Column seen = col(FIRST_SEEN_AT);
        return observations.filter(col(SOURCE_ID).isNotNull())
                .groupBy(SOURCE, SOURCE_ID)
                .agg(max_by(col(EMAIL), when(col(EMAIL).isNotNull(), seen)).as(EMAIL),
                        max_by(col(NAME), when(col(NAME).isNotNull(), seen)).as(NAME),
                        min(seen).as(FIRST_SEEN_AT),
                        max(seen).as(LAST_SEEN_AT))
                .withColumn(CUSTOMER_ID, customerId(col(SOURCE), col(SOURCE_ID), col(EMAIL)))
                .select(SOURCE, SOURCE_ID, CUSTOMER_ID, EMAIL, NAME, FIRST_SEEN_AT, LAST_SEEN_AT);
    }

    static Column customerId(Column source, Column sourceId, Column email) {
        return when(email.isNotNull(), Identity.customerIdFromEmail(email))
                .otherwise(Identity.customerIdFromSourceId(source, sourceId));
    }
}
