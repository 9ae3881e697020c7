package io.supportroi.model;

import io.supportroi.ingest.Bronze;
import io.supportroi.ingest.LandingSource;
import io.supportroi.ingest.Timestamps;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import java.util.List;

import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

/**
 * {@code silver.refunds}: one row per refund of money to a customer: Shopify order refunds, Stripe charge refunds,
 * canonical CSV order refunds. {@code amount} is positive, decimal(18,2) in the currency of the order or charge.
 */
public final class Refunds {
    private Refunds() {}

    public static final TableRef TABLE = TableRef.silver("refunds");

    public static final String REFUND_ID = "refund_id";
    public static final String ORDER_ID = "order_id";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String REFUNDED_AT = "refunded_at";
    public static final String AMOUNT = "amount";
    public static final String CURRENCY = "currency";
    public static final String SOURCE = "source";
    /** Stripe only: the refunded charge and, where the events tell it, the invoice that charge paid. */
    public static final String CHARGE_ID = "charge_id";
    public static final String INVOICE_ID = "invoice_id";

    public static final List<String> COLUMNS = List.of(REFUND_ID, ORDER_ID, CUSTOMER_ID, REFUNDED_AT, AMOUNT,
            CURRENCY, SOURCE, CHARGE_ID, INVOICE_ID);

    public static final String SOURCE_SHOPIFY = "shopify";
    public static final String SOURCE_STRIPE = "stripe";
    public static final String SOURCE_CSV = "csv";

    /**
     * @param orders silver orders (for the customer and currency of shop refunds)
     * @param stripeEvents {@link Subscriptions#distinctEvents} of bronze Stripe events
     */
    public static Dataset<Row> apply(BronzeTables b, Dataset<Row> orders, Dataset<Row> stripeEvents,
                                     Dataset<Row> identities) {
        return fromShopify(Orders.latestShopify(b.get(LandingSource.SHOPIFY_ORDERS)), orders)
                .unionByName(fromCsv(Orders.csvVersions(b.get(LandingSource.CSV_ORDERS)), orders))
                .unionByName(fromStripe(stripeEvents, identities));
    }

    /**
     * @param latest {@link Orders#latestShopify}. A refund's amount is the sum of its transactions of kind
     * {@code refund} whose status is {@code success} (a transaction without a status counts: older exports omit
     * it); a refund that moved no money (a restock only) is not a row.
     */
    public static Dataset<Row> fromShopify(Dataset<Row> latest, Dataset<Row> orders) {
        Column zero = lit(0).cast(Conform.MONEY);
        Column amount = aggregate(
                filter(col("_r.transactions"), t -> lower(t.getField("kind")).equalTo("refund")
                        .and(coalesce(lower(t.getField("status")), lit("success")).equalTo("success"))),
                zero, (acc, t) -> acc.plus(coalesce(Conform.money(t.getField("amount")), zero)).cast(Conform.MONEY));
        Column orderId = concat(lit(Orders.SOURCE_SHOPIFY + ":"), col("id").cast("string"));
        Dataset<Row> refunds = latest.select(col("id"), posexplode(col("refunds")).as(new String[] {"_pos", "_r"}))
                .select(
                        concat(lit(SOURCE_SHOPIFY + ":"), coalesce(col("_r.id").cast("string"),
                                concat(col("id").cast("string"), lit("-"), col("_pos").cast("string")))).as(REFUND_ID),
                        orderId.as(ORDER_ID),
                        Timestamps.parse(col("_r.created_at")).as(REFUNDED_AT),
                        amount.as(AMOUNT))
                .filter(col(AMOUNT).gt(0));
        return withOrder(refunds, orders, SOURCE_SHOPIFY);
    }

    /**
     * @param versions {@link Orders#csvVersions}. A row with a {@code refund_amount} is a refund, identified in its
     * order by {@code refund_id} (else by its {@code refunded_at}); the same refund on two rows counts once.
     */
    public static Dataset<Row> fromCsv(Dataset<Row> versions, Dataset<Row> orders) {
        Column refundedAt = Timestamps.parse(col("refunded_at"));
        Column key = coalesce(Conform.text(col("refund_id")),
                date_format(refundedAt, "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'"));
        Dataset<Row> rows = versions.filter(col("refund_amount").isNotNull())
                .withColumn("_key", key)
                .withColumn("_rn", row_number().over(Window.partitionBy(col(Orders.CSV_ORDER_ID), col("_key"))
                        .orderBy(col(Bronze.RECORD_INDEX).desc())))
                .filter(col("_rn").equalTo(1))
                .select(
                        concat(lit(SOURCE_CSV + ":"), col(Orders.CSV_ORDER_ID), lit(":"), col("_key")).as(REFUND_ID),
                        concat(lit(Orders.SOURCE_CSV + ":"), col(Orders.CSV_ORDER_ID)).as(ORDER_ID),
                        refundedAt.as(REFUNDED_AT),
                        Conform.money(col("refund_amount")).as(AMOUNT))
                .filter(col(AMOUNT).gt(0));
        return withOrder(rows, orders, SOURCE_CSV);
    }

    private static Dataset<Row> withOrder(Dataset<Row> refunds, Dataset<Row> orders, String source) {
        Dataset<Row> o = orders.select(col(Orders.ORDER_ID).as("_o_order_id"), col(Orders.CUSTOMER_ID).as("_o_customer"),
                col(Orders.CURRENCY).as("_o_currency"));
        return refunds.join(o, col(ORDER_ID).equalTo(col("_o_order_id")), "left")
                .select(col(REFUND_ID), col(ORDER_ID), col("_o_customer").as(CUSTOMER_ID), col(REFUNDED_AT),
                        col(AMOUNT), col("_o_currency").as(CURRENCY), lit(source).as(SOURCE),
                        lit(null).cast("string").as(CHARGE_ID), lit(null).cast("string").as(INVOICE_ID));
    }

    /**
     * Stripe {@code charge.refunded} events (already one per event id). SPEC §2: {@code amount_refunded} is
     * cumulative per charge. Where an event lists its refunds ({@code refunds.data}, non-empty), each listed refund
     * counts once, by its id, unless its status is failed or canceled; a charge whose events never list refunds
     * gets one refund per increase of {@code amount_refunded} over the previous level, dated by the event that
     * showed it. Levels are ordered by amount (it only grows), so events arriving out of order or re-sent under a
     * new id add nothing twice.
     */
    public static Dataset<Row> fromStripe(Dataset<Row> stripeEvents, Dataset<Row> identities) {
        Dataset<Row> charges = stripeEvents.filter(col("type").equalTo("charge.refunded"))
                .withColumn("_listed", coalesce(size(col("data.object.refunds.data")), lit(0)).gt(0));
        Dataset<Row> listedCharges = charges.groupBy(col("data.object.id").as("_lc_charge"))
                .agg(max(col("_listed")).as("_lc_listed"));
        Dataset<Row> withFlag = charges.join(listedCharges, col("data.object.id").equalTo(col("_lc_charge")));

        Dataset<Row> listed = withFlag.filter(col("_lc_listed").and(col("_listed")))
                .select(col("data.object.id").as(CHARGE_ID), col("data.object.customer").as("_stripe_customer"),
                        col("data.object.currency").as("_currency"), col("data.object.invoice").as("_invoice"),
                        col("created").as("_event_created"), col(Bronze.INGESTED_AT), col(Bronze.RUN_ID),
                        col(Bronze.SOURCE_FILE), col(Bronze.FILE_HASH), col(Bronze.RECORD_INDEX),
                        explode(col("data.object.refunds.data")).as("_item"))
                .filter(coalesce(lower(col("_item.status")), lit("succeeded")).isin("failed", "canceled").equalTo(false));
        Dataset<Row> items = Latest.by(listed, col("_item.id"), col("_event_created"))
                .select(concat(lit(SOURCE_STRIPE + ":"), col("_item.id")).as(REFUND_ID), col(CHARGE_ID),
                        col("_stripe_customer"), col("_currency"), col("_invoice"),
                        Timestamps.fromUnixSeconds(coalesce(col("_item.created"), col("_event_created"))).as(REFUNDED_AT),
                        Conform.cents(col("_item.amount")).as(AMOUNT));

        Dataset<Row> cumulative = withFlag.filter(col("_lc_listed").equalTo(false));
        var w = Window.partitionBy(col("data.object.id")).orderBy(col("data.object.amount_refunded"), col("created"),
                col("id"));
        Dataset<Row> increases = cumulative
                .withColumn("_inc", col("data.object.amount_refunded")
                        .minus(coalesce(lag(col("data.object.amount_refunded"), 1).over(w), lit(0L))))
                .filter(col("_inc").gt(0))
                .select(concat(lit(SOURCE_STRIPE + ":"), col("data.object.id"), lit(":"), col("id")).as(REFUND_ID),
                        col("data.object.id").as(CHARGE_ID), col("data.object.customer").as("_stripe_customer"),
                        col("data.object.currency").as("_currency"), col("data.object.invoice").as("_invoice"),
                        Timestamps.fromUnixSeconds(col("created")).as(REFUNDED_AT),
                        Conform.cents(col("_inc")).as(AMOUNT));

        // API versions from 2025-03-31 drop charge.invoice; the invoice.paid event names its charge instead.
        Dataset<Row> paidCharges = stripeEvents.filter(col("type").equalTo("invoice.paid")
                        .and(col("data.object.charge").isNotNull()))
                .groupBy(col("data.object.charge").as("_p_charge"))
                .agg(max(col("data.object.id")).as("_p_invoice"));
        Dataset<Row> refunds = items.unionByName(increases)
                .join(paidCharges, col(CHARGE_ID).equalTo(col("_p_charge")), "left");
        return CustomerIdentities.resolve(refunds, identities, CustomerIdentities.STRIPE, col("_stripe_customer"),
                        lit(null).cast("string"), "_customer")
                .select(col(REFUND_ID), lit(null).cast("string").as(ORDER_ID),
                        coalesce(col("_customer"), when(col("_stripe_customer").isNotNull(),
                                Identity.customerIdFromSourceId(lit(CustomerIdentities.STRIPE), col("_stripe_customer"))))
                                .as(CUSTOMER_ID),
                        col(REFUNDED_AT), col(AMOUNT), upper(col("_currency")).as(CURRENCY), lit(SOURCE_STRIPE).as(SOURCE),
                        col(CHARGE_ID), coalesce(col("_invoice"), col("_p_invoice")).as(INVOICE_ID));
    }
}
