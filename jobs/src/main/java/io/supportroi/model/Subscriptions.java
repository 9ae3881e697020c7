package io.supportroi.model;

import io.supportroi.ingest.Timestamps;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

/** {@code silver.subscriptions}: one row per Stripe subscription, from its created and deleted events. */
public final class Subscriptions {
    private Subscriptions() {}

    public static final TableRef TABLE = TableRef.silver("subscriptions");

    public static final String SUBSCRIPTION_ID = "subscription_id";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String STRIPE_CUSTOMER_ID = "stripe_customer_id";
    public static final String STARTED_AT = "started_at";
    public static final String ENDED_AT = "ended_at";
    public static final String END_REASON = "end_reason";

    public static final String VOLUNTARY = "voluntary";
    public static final String PAYMENT_FAILED = "payment_failed";

    /** Stripe delivers at least once: an event id seen twice is one event. */
    public static Dataset<Row> distinctEvents(Dataset<Row> stripeEvents) {
        return Latest.by(stripeEvents, col("id"), lit(0));
    }

    public static Dataset<Row> fromStripe(Dataset<Row> stripeEvents, Dataset<Row> identities) {
        Dataset<Row> events = distinctEvents(stripeEvents)
                .filter(col("type").isin("customer.subscription.created", "customer.subscription.deleted"));
        Column isDeleted = col("type").equalTo("customer.subscription.deleted");
        Column started = Timestamps.fromUnixSeconds(
                coalesce(col("data.object.start_date"), col("data.object.created"), col("created")));
        Column ended = when(isDeleted, Timestamps.fromUnixSeconds(
                coalesce(col("data.object.ended_at"), col("data.object.canceled_at"), col("created"))));
        Column reason = when(isDeleted, col("data.object.cancellation_details.reason"));
        Dataset<Row> stripeIds = identities.filter(col(CustomerIdentities.SOURCE).equalTo(CustomerIdentities.STRIPE))
                .select(col(CustomerIdentities.SOURCE_ID).as("_c_source_id"),
                        col(CustomerIdentities.CUSTOMER_ID).as("_c_customer_id"));
        return events
                .select(col("data.object.id").as(SUBSCRIPTION_ID), col("data.object.customer").as(STRIPE_CUSTOMER_ID),
                        started.as("_started"), ended.as("_ended"), reason.as("_reason"))
                .groupBy(SUBSCRIPTION_ID)
                .agg(max(STRIPE_CUSTOMER_ID).as(STRIPE_CUSTOMER_ID),
                        min("_started").as(STARTED_AT),
                        max("_ended").as(ENDED_AT),
                        max_by(col("_reason"), col("_ended")).as("_reason"))
                .join(stripeIds, col(STRIPE_CUSTOMER_ID).equalTo(col("_c_source_id")), "left")
                .select(col(SUBSCRIPTION_ID),
                        coalesce(col("_c_customer_id"),
                                Identity.customerIdFromSourceId(lit(CustomerIdentities.STRIPE), col(STRIPE_CUSTOMER_ID)))
                                .as(CUSTOMER_ID),
                        col(STRIPE_CUSTOMER_ID),
                        col(STARTED_AT),
                        col(ENDED_AT),
                        endReason(col(ENDED_AT), col("_reason")).as(END_REASON));
    }

    /** SPEC §2: payment_failed and payment_disputed are involuntary; any other ending is the customer's choice. */
    static Column endReason(Column endedAt, Column stripeReason) {
        return when(endedAt.isNull(), lit(null))
                .when(stripeReason.isin("payment_failed", "payment_disputed"), lit(PAYMENT_FAILED))
                .otherwise(lit(VOLUNTARY));
    }
}
