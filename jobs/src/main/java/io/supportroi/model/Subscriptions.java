package io.supportroi.model;

import io.supportroi.config.Settings;
import io.supportroi.ingest.LandingSource;
import io.supportroi.ingest.Timestamps;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

/**
 * {@code silver.subscriptions}: one row per subscription, from Stripe's subscription (and invoice) events and from
 * the canonical billing CSV. Stripe ids are kept as Stripe writes them ("sub_…"); CSV ids are prefixed "csv:".
 */
public final class Subscriptions {
    private Subscriptions() {}

    public static final TableRef TABLE = TableRef.silver("subscriptions");

    public static final String SUBSCRIPTION_ID = "subscription_id";
    public static final String SOURCE = "source";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String STRIPE_CUSTOMER_ID = "stripe_customer_id";
    public static final String STARTED_AT = "started_at";
    public static final String ENDED_AT = "ended_at";
    public static final String END_REASON = "end_reason";

    public static final List<String> COLUMNS = List.of(SUBSCRIPTION_ID, SOURCE, CUSTOMER_ID, STRIPE_CUSTOMER_ID,
            STARTED_AT, ENDED_AT, END_REASON);

    public static final String SOURCE_STRIPE = "stripe";
    public static final String SOURCE_CSV = "csv";

    public static final String VOLUNTARY = "voluntary";
    public static final String PAYMENT_FAILED = "payment_failed";

    /** Stripe delivers at least once: an event id seen twice is one event. */
    public static Dataset<Row> distinctEvents(Dataset<Row> stripeEvents) {
        return Latest.by(stripeEvents, col("id"), lit(0));
    }

    /** The subscription an invoice belongs to, in either API shape (before / from 2025-03-31). */
    public static Column invoiceSubscription() {
        return coalesce(col("data.object.subscription"), col("data.object.parent.subscription_details.subscription"));
    }

    /** @param stripeEvents {@link #distinctEvents} of bronze Stripe events */
    public static Dataset<Row> apply(BronzeTables b, Dataset<Row> stripeEvents, Dataset<Row> identities,
                                     Settings settings) {
        return fromStripe(stripeEvents, identities)
                .unionByName(fromCsv(b.get(LandingSource.CSV_BILLING), identities, settings));
    }

    /**
     * From {@code customer.subscription.created/deleted}: started at the subscription's {@code start_date}, ended
     * at its {@code ended_at} when deleted. A subscription the export knows only from its invoices (created before
     * the export window) still exists: it starts at the period start of its earliest invoice.
     */
    public static Dataset<Row> fromStripe(Dataset<Row> stripeEvents, Dataset<Row> identities) {
        Dataset<Row> events = distinctEvents(stripeEvents);
        Column isDeleted = col("type").equalTo("customer.subscription.deleted");
        Dataset<Row> lifecycle = events
                .filter(col("type").isin("customer.subscription.created", "customer.subscription.deleted"))
                .select(col("data.object.id").as(SUBSCRIPTION_ID), col("data.object.customer").as(STRIPE_CUSTOMER_ID),
                        Timestamps.fromUnixSeconds(coalesce(col("data.object.start_date"), col("data.object.created"),
                                col("created"))).as("_started"),
                        lit(false).as("_from_invoice"),
                        when(isDeleted, Timestamps.fromUnixSeconds(coalesce(col("data.object.ended_at"),
                                col("data.object.canceled_at"), col("created")))).as("_ended"),
                        when(isDeleted, col("data.object.cancellation_details.reason")).as("_reason"));
        Dataset<Row> invoices = events
                .filter(col("type").startsWith("invoice.").and(invoiceSubscription().isNotNull()))
                .select(invoiceSubscription().as(SUBSCRIPTION_ID), col("data.object.customer").as(STRIPE_CUSTOMER_ID),
                        Timestamps.fromUnixSeconds(coalesce(col("data.object.period_start"), col("created")))
                                .as("_started"),
                        lit(true).as("_from_invoice"),
                        lit(null).cast("timestamp").as("_ended"), lit(null).cast("string").as("_reason"));
        Dataset<Row> stripeIds = identities.filter(col(CustomerIdentities.SOURCE).equalTo(CustomerIdentities.STRIPE))
                .select(col(CustomerIdentities.SOURCE_ID).as("_c_source_id"),
                        col(CustomerIdentities.CUSTOMER_ID).as("_c_customer_id"));
        return lifecycle.unionByName(invoices)
                .groupBy(SUBSCRIPTION_ID)
                .agg(max(STRIPE_CUSTOMER_ID).as(STRIPE_CUSTOMER_ID),
                        coalesce(min(when(col("_from_invoice").equalTo(false), col("_started"))),
                                min(col("_started"))).as(STARTED_AT),
                        max("_ended").as(ENDED_AT),
                        max_by(col("_reason"), tieBroken(col("_ended"), col("_reason"))).as("_reason"))
                .join(stripeIds, col(STRIPE_CUSTOMER_ID).equalTo(col("_c_source_id")), "left")
                .select(col(SUBSCRIPTION_ID),
                        lit(SOURCE_STRIPE).as(SOURCE),
                        coalesce(col("_c_customer_id"),
                                Identity.customerIdFromSourceId(lit(CustomerIdentities.STRIPE), col(STRIPE_CUSTOMER_ID)))
                                .as(CUSTOMER_ID),
                        col(STRIPE_CUSTOMER_ID),
                        col(STARTED_AT),
                        col(ENDED_AT),
                        endReason(col(ENDED_AT), col("_reason")).as(END_REASON));
    }

    /**
     * The order an end's reason is chosen by: the latest end, then a stated reason over none, then the greater
     * reason, so that two records ending a subscription at the same moment give the same answer in any read order.
     */
    private static Column tieBroken(Column ended, Column reason) {
        return struct(ended, reason.isNotNull(), reason);
    }

    /**
     * Canonical billing CSV: all rows of a subscription (its own rows and its renewal attempts) together say when
     * it started (earliest {@code started_at}, else its earliest attempt) and ended (latest {@code ended_at}, with
     * that row's {@code end_reason}).
     */
    public static Dataset<Row> fromCsv(Dataset<Row> billing, Dataset<Row> identities, Settings settings) {
        Column ended = Timestamps.parse(col("ended_at"));
        Dataset<Row> subs = billing.withColumn("_sub", trim(col("subscription_id")))
                .groupBy(col("_sub"))
                .agg(coalesce(min(Timestamps.parse(col("started_at"))), min(Timestamps.parse(col("attempted_at"))))
                                .as(STARTED_AT),
                        max(ended).as(ENDED_AT),
                        max_by(lower(trim(col("end_reason"))), tieBroken(ended, lower(trim(col("end_reason"))))).as("_reason"),
                        Conform.lastNonNull(Conform.text(col("customer_id"))).as("_customer_source_id"),
                        Conform.lastNonNull(Identity.normaliseEmail(col("customer_email"), settings.identity()))
                                .as("_customer_email"));
        return CustomerIdentities.resolve(subs, identities, CustomerIdentities.CSV_BILLING,
                        col("_customer_source_id"), col("_customer_email"), "_customer")
                .select(concat(lit(SOURCE_CSV + ":"), col("_sub")).as(SUBSCRIPTION_ID),
                        lit(SOURCE_CSV).as(SOURCE),
                        col("_customer").as(CUSTOMER_ID),
                        lit(null).cast("string").as(STRIPE_CUSTOMER_ID),
                        col(STARTED_AT),
                        col(ENDED_AT),
                        endReason(col(ENDED_AT), col("_reason")).as(END_REASON));
    }

    /**
     * SPEC §2: payment_failed and payment_disputed are involuntary; any other ending is the customer's choice. The
     * billing CSV may also write "involuntary".
     */
    static Column endReason(Column endedAt, Column reason) {
        return when(endedAt.isNull(), lit(null))
                .when(lower(reason).isin("payment_failed", "payment_disputed", "involuntary"), lit(PAYMENT_FAILED))
                .otherwise(lit(VOLUNTARY));
    }
}
