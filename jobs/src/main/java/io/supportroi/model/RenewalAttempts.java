package io.supportroi.model;

import io.supportroi.config.Settings;
import io.supportroi.ingest.LandingSource;
import io.supportroi.ingest.Timestamps;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import java.util.List;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

/**
 * {@code silver.renewal_attempts}: every paid or failed attempt to collect a subscription renewal, from Stripe's
 * {@code invoice.paid} / {@code invoice.payment_failed} and from the canonical billing CSV. Key:
 * {@code invoice_id}, {@code attempt}, {@code outcome}. Each row also carries its invoice's dunning outcome, the
 * same on every attempt of the invoice.
 */
public final class RenewalAttempts {
    private RenewalAttempts() {}

    public static final TableRef TABLE = TableRef.silver("renewal_attempts");

    public static final String SUBSCRIPTION_ID = "subscription_id";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String INVOICE_ID = "invoice_id";
    public static final String ATTEMPTED_AT = "attempted_at";
    public static final String ATTEMPT = "attempt";
    public static final String AMOUNT = "amount";
    public static final String CURRENCY = "currency";
    public static final String OUTCOME = "outcome";
    public static final String SOURCE = "source";
    /** When the invoice's first failed attempt happened (the failed renewal); null when it never failed. */
    public static final String FIRST_FAILED_AT = "first_failed_at";
    /** {@code first_failed_at} + the dunning window ({@code supportroi.campaigns.dunning-window-days}). */
    public static final String DUNNING_ENDS_AT = "dunning_ends_at";
    /** When the invoice was paid; null while it is not. */
    public static final String PAID_AT = "paid_at";
    public static final String INVOICE_OUTCOME = "invoice_outcome";

    public static final List<String> COLUMNS = List.of(SUBSCRIPTION_ID, CUSTOMER_ID, INVOICE_ID, ATTEMPTED_AT,
            ATTEMPT, AMOUNT, CURRENCY, OUTCOME, SOURCE, FIRST_FAILED_AT, DUNNING_ENDS_AT, PAID_AT, INVOICE_OUTCOME);
    public static final List<String> KEY = List.of(INVOICE_ID, ATTEMPT, OUTCOME);

    public static final String PAID = "paid";
    public static final String FAILED = "failed";

    /** Paid without ever failing. */
    public static final String INVOICE_PAID = "paid";
    /** Failed, then paid within the dunning window after the first failure. */
    public static final String RECOVERED_BY_DUNNING = "recovered_by_dunning";
    /** Failed, then paid after the dunning window (by a win-back, a manual payment). */
    public static final String RECOVERED_AFTER_DUNNING = "recovered_after_dunning";
    /** Failed, not paid, and the dunning window is over. */
    public static final String UNRECOVERED = "unrecovered";
    /** Failed, not paid yet, and the dunning window is still open. */
    public static final String PENDING = "pending";

    public static final String SOURCE_STRIPE = "stripe";
    public static final String SOURCE_CSV = "csv";

    /** Stripe billing reason of a renewal; {@code subscription_create} (the first payment) is not one. */
    static final String RENEWAL_REASON = "subscription_cycle";

    /** @param stripeEvents {@link Subscriptions#distinctEvents} of bronze Stripe events */
    public static Dataset<Row> apply(BronzeTables b, Dataset<Row> stripeEvents, Dataset<Row> identities,
                                     Settings settings) {
        return withInvoiceOutcome(fromStripe(stripeEvents, identities)
                        .unionByName(fromCsv(b.get(LandingSource.CSV_BILLING), identities, settings)),
                settings.campaigns().dunningWindowDays());
    }

    /**
     * Attempts of Stripe subscription invoices whose billing reason is a renewal ({@code subscription_cycle}, or
     * absent). The attempt number is the invoice's {@code attempt_count}; a failed attempt is dated by its event and
     * is for {@code amount_due}; a paid one by {@code status_transitions.paid_at} and is for {@code amount_paid}.
     * The same attempt delivered twice under two event ids counts once.
     */
    public static Dataset<Row> fromStripe(Dataset<Row> stripeEvents, Dataset<Row> identities) {
        Column paid = col("type").equalTo("invoice.paid");
        Column reason = col("data.object.billing_reason");
        Dataset<Row> attempts = stripeEvents
                .filter(col("type").isin("invoice.paid", "invoice.payment_failed")
                        .and(Subscriptions.invoiceSubscription().isNotNull())
                        .and(reason.isNull().or(reason.equalTo(RENEWAL_REASON))))
                .select(Subscriptions.invoiceSubscription().as(SUBSCRIPTION_ID),
                        col("data.object.customer").as("_stripe_customer"),
                        col("data.object.id").as(INVOICE_ID),
                        when(paid, Timestamps.fromUnixSeconds(coalesce(col("data.object.status_transitions.paid_at"),
                                col("created")))).otherwise(Timestamps.fromUnixSeconds(col("created"))).as(ATTEMPTED_AT),
                        coalesce(col("data.object.attempt_count"), lit(1)).as(ATTEMPT),
                        Conform.cents(when(paid, coalesce(col("data.object.amount_paid"), col("data.object.amount_due")))
                                .otherwise(col("data.object.amount_due"))).as(AMOUNT),
                        upper(col("data.object.currency")).as(CURRENCY),
                        when(paid, lit(PAID)).otherwise(lit(FAILED)).as(OUTCOME),
                        col("id").as("_event_id"));
        Dataset<Row> unique = attempts
                .withColumn("_rn", row_number().over(Window.partitionBy(col(INVOICE_ID), col(ATTEMPT), col(OUTCOME))
                        .orderBy(col(ATTEMPTED_AT).desc(), col("_event_id").desc())))
                .filter(col("_rn").equalTo(1));
        return CustomerIdentities.resolve(unique, identities, CustomerIdentities.STRIPE, col("_stripe_customer"),
                        lit(null).cast("string"), "_customer")
                .select(col(SUBSCRIPTION_ID),
                        coalesce(col("_customer"), when(col("_stripe_customer").isNotNull(),
                                Identity.customerIdFromSourceId(lit(CustomerIdentities.STRIPE), col("_stripe_customer"))))
                                .as(CUSTOMER_ID),
                        col(INVOICE_ID), col(ATTEMPTED_AT), col(ATTEMPT), col(AMOUNT), col(CURRENCY), col(OUTCOME),
                        lit(SOURCE_STRIPE).as(SOURCE));
    }

    /**
     * Billing CSV rows with an {@code invoice_id} are attempts (amounts in currency units, not cents). The same
     * attempt (invoice, time, outcome) on several rows or files counts once; an attempt without a number is
     * numbered by its place among the invoice's attempts in time.
     */
    public static Dataset<Row> fromCsv(Dataset<Row> billing, Dataset<Row> identities, Settings settings) {
        Dataset<Row> rows = billing.filter(Conform.text(col("invoice_id")).isNotNull())
                .select(trim(col("subscription_id")).as("_sub"), Conform.text(col("customer_id")).as("_customer_source_id"),
                        Identity.normaliseEmail(col("customer_email"), settings.identity()).as("_customer_email"),
                        trim(col("invoice_id")).as("_invoice"),
                        Timestamps.parse(col("attempted_at")).as(ATTEMPTED_AT),
                        Conform.wholeNumber(col("attempt")).as("_attempt"),
                        Conform.money(col("amount")).as(AMOUNT),
                        upper(Conform.text(col("currency"))).as(CURRENCY),
                        lower(trim(col("outcome"))).as(OUTCOME),
                        col(io.supportroi.ingest.Bronze.INGESTED_AT), col(io.supportroi.ingest.Bronze.RUN_ID),
                        col(io.supportroi.ingest.Bronze.SOURCE_FILE), col(io.supportroi.ingest.Bronze.FILE_HASH),
                        col(io.supportroi.ingest.Bronze.RECORD_INDEX));
        Dataset<Row> once = rows
                .withColumn("_rn", row_number().over(Window.partitionBy(col("_invoice"), col(ATTEMPTED_AT), col(OUTCOME))
                        .orderBy(Latest.order(rows, lit(0), true))))
                .filter(col("_rn").equalTo(1));
        Dataset<Row> numbered = once
                .withColumn(ATTEMPT, coalesce(col("_attempt"), row_number().over(Window.partitionBy(col("_invoice"))
                        .orderBy(col(ATTEMPTED_AT), col(OUTCOME).desc()))))
                .withColumn("_rn", row_number().over(Window.partitionBy(col("_invoice"), col(ATTEMPT), col(OUTCOME))
                        .orderBy(col(ATTEMPTED_AT).desc())))
                .filter(col("_rn").equalTo(1));
        return CustomerIdentities.resolve(numbered, identities, CustomerIdentities.CSV_BILLING,
                        col("_customer_source_id"), col("_customer_email"), "_customer")
                .select(concat(lit(Subscriptions.SOURCE_CSV + ":"), col("_sub")).as(SUBSCRIPTION_ID),
                        col("_customer").as(CUSTOMER_ID),
                        concat(lit(SOURCE_CSV + ":"), col("_invoice")).as(INVOICE_ID),
                        col(ATTEMPTED_AT), col(ATTEMPT).cast("int").as(ATTEMPT), col(AMOUNT), col(CURRENCY),
                        col(OUTCOME), lit(SOURCE_CSV).as(SOURCE));
    }

    /**
     * The dunning outcome of each invoice, on each of its attempts. {@code paid_at} is the first paid attempt;
     * {@code first_failed_at} the first failed attempt before it; the dunning window runs {@code dunningDays}
     * from there. An unpaid invoice is {@code unrecovered} once its window has ended by the latest attempt in the
     * data (the data's own clock, so a re-run over the same data gives the same answer), else {@code pending}.
     */
    public static Dataset<Row> withInvoiceOutcome(Dataset<Row> attempts, int dunningDays) {
        WindowSpec invoice = Window.partitionBy(col(INVOICE_ID));
        Column paidAt = min(when(col(OUTCOME).equalTo(PAID), col(ATTEMPTED_AT))).over(invoice);
        Dataset<Row> withPaid = attempts.withColumn(PAID_AT, paidAt);
        Column firstFailed = min(when(col(OUTCOME).equalTo(FAILED)
                .and(col(PAID_AT).isNull().or(col(ATTEMPTED_AT).leq(col(PAID_AT)))), col(ATTEMPTED_AT))).over(invoice);
        Dataset<Row> clock = attempts.agg(max(col(ATTEMPTED_AT)).as("_clock"));
        Column dunningEnds = timestamp_micros(unix_micros(col(FIRST_FAILED_AT)).plus(lit(dunningDays * 86_400_000_000L)));
        return withPaid.withColumn(FIRST_FAILED_AT, firstFailed)
                .withColumn(DUNNING_ENDS_AT, dunningEnds)
                .crossJoin(clock)
                .withColumn(INVOICE_OUTCOME,
                        when(col(FIRST_FAILED_AT).isNull(), when(col(PAID_AT).isNotNull(), lit(INVOICE_PAID)))
                                .when(col(PAID_AT).isNotNull().and(col(PAID_AT).leq(col(DUNNING_ENDS_AT))),
                                        lit(RECOVERED_BY_DUNNING))
                                .when(col(PAID_AT).isNotNull(), lit(RECOVERED_AFTER_DUNNING))
                                .when(col(DUNNING_ENDS_AT).leq(col("_clock")), lit(UNRECOVERED))
                                .otherwise(lit(PENDING)))
                .select(COLUMNS.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
    }
}
