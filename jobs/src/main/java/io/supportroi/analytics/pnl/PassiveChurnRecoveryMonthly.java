package io.supportroi.analytics.pnl;

import io.supportroi.analytics.Bounded;
import io.supportroi.analytics.Wilson;
import io.supportroi.config.Settings;
import io.supportroi.model.RenewalAttempts;
import io.supportroi.model.Tickets;
import io.supportroi.ops.Seqs;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * {@code gold.passive_churn_recovery_monthly}: renewals whose payment failed, by month of the first failure, and who
 * brought them back: dunning (paid within the dunning window), support (paid after it, within the conversion window
 * after a win-back ticket), or nobody.
 */
public final class PassiveChurnRecoveryMonthly {
    private PassiveChurnRecoveryMonthly() {}

    public static final TableRef TABLE = TableRef.gold("passive_churn_recovery_monthly");

    public static final String MONTH = Months.MONTH;
    public static final String MONTH_START = Months.MONTH_START;
    /** Renewal invoices whose first attempt (or a later one before payment) failed. */
    public static final String FAILED_RENEWALS = "failed_renewals";
    public static final String RECOVERED_BY_DUNNING = "recovered_by_dunning";
    /** Unpaid, with the dunning window still running at as-of. */
    public static final String PENDING_DUNNING = "pending_dunning";
    /** Still unpaid when the dunning window ended (which it has by as-of): support's win-back list. */
    public static final String HANDED_TO_SUPPORT = "handed_to_support";
    public static final String RECOVERED_BY_SUPPORT = "recovered_by_support";
    /** Handed to support, unpaid, and support can still win it back at as-of: not judged yet. */
    public static final String AWAITING_SUPPORT = "awaiting_support";
    /** Handed to support, not recovered by support, with nothing left to wait for (includes late payers). */
    public static final String LOST = "lost";
    /** Part of {@code lost}: paid after dunning, but not within the window after a win-back ticket. */
    public static final String PAID_WITHOUT_SUPPORT = "paid_without_support";
    public static final String DUNNING_RECOVERY_RATE = "dunning_recovery_rate";
    public static final String SUPPORT_RECOVERY_RATE = "support_recovery_rate";
    public static final String CI_LOW = "ci_low";
    public static final String CI_HIGH = "ci_high";
    /** Money paid on the invoices support recovered. */
    public static final String RECOVERED_REVENUE = "recovered_revenue";

    public static final List<String> COLUMNS = List.of(MONTH, MONTH_START, FAILED_RENEWALS, RECOVERED_BY_DUNNING,
            PENDING_DUNNING, HANDED_TO_SUPPORT, RECOVERED_BY_SUPPORT, AWAITING_SUPPORT, LOST, PAID_WITHOUT_SUPPORT,
            DUNNING_RECOVERY_RATE, SUPPORT_RECOVERY_RATE, CI_LOW, CI_HIGH, RECOVERED_REVENUE);

    /**
     * @param attempts silver renewal_attempts (invoice_id, customer_id, attempted_at, amount, outcome,
     *                 first_failed_at, paid_at)
     * @param tickets  silver tickets; the win-back ones are those with campaign {@code winback}
     */
    public static Dataset<Row> apply(Dataset<Row> attempts, Dataset<Row> tickets, Timestamp asOfEnd,
                                     Settings settings) {
        Column cutoff = lit(asOfEnd);
        Duration dunning = Duration.ofDays(settings.campaigns().dunningWindowDays());
        Duration window = Duration.ofDays(settings.campaigns().conversionWindowDays());
        Column paidAttempt = col(RenewalAttempts.OUTCOME).equalTo(RenewalAttempts.PAID);
        Dataset<Row> invoices = attempts
                .filter(col(RenewalAttempts.FIRST_FAILED_AT).isNotNull()
                        .and(col(RenewalAttempts.FIRST_FAILED_AT).leq(cutoff))
                        .and(col(RenewalAttempts.ATTEMPTED_AT).leq(cutoff)))
                .groupBy(col(RenewalAttempts.INVOICE_ID).as("_invoice"))
                .agg(max(RenewalAttempts.CUSTOMER_ID).as("_customer"),
                        min(RenewalAttempts.FIRST_FAILED_AT).as("_failed_at"),
                        // A payment after as-of has not happened yet as far as this run knows.
                        min(when(paidAttempt, col(RenewalAttempts.ATTEMPTED_AT))).as("_paid_at"),
                        max(when(paidAttempt, col(RenewalAttempts.AMOUNT))).as("_paid_amount"))
                .withColumn("_dunning_ends", col("_failed_at").plus(lit(dunning)));

        // Win-back tickets about this failure: written after it, before the payment, which lands within the window.
        Dataset<Row> winbacks = tickets
                .filter(col(Tickets.CAMPAIGN).equalTo(Tickets.CAMPAIGN_WINBACK)
                        .and(col(Tickets.CUSTOMER_ID).isNotNull()).and(col(Tickets.CREATED_AT).leq(cutoff)))
                .select(col(Tickets.CUSTOMER_ID).as("_w_customer"), col(Tickets.CREATED_AT).as("_w_at"));
        Dataset<Row> contact = invoices.join(winbacks, col("_customer").equalTo(col("_w_customer"))
                        .and(col("_w_at").geq(col("_failed_at"))))
                .groupBy("_invoice")
                .agg(max(when(col("_paid_at").isNotNull().and(col("_w_at").lt(col("_paid_at")))
                                .and(col("_paid_at").leq(col("_w_at").plus(lit(window)))), true)).as("_won_back"),
                        max(col("_w_at")).as("_last_winback"));

        Column paidInDunning = col("_paid_at").isNotNull().and(col("_paid_at").leq(col("_dunning_ends")));
        Column handed = paidInDunning.equalTo(false).and(col("_dunning_ends").leq(cutoff));
        Column bySupport = coalesce(handed.and(col("_paid_at").gt(col("_dunning_ends"))).and(col("_won_back")),
                lit(false));
        // Support gets a full window from the end of dunning, and from each win-back ticket, before a loss is final.
        Column stillOpen = col("_dunning_ends").plus(lit(window)).gt(cutoff)
                .or(col("_last_winback").isNotNull().and(col("_last_winback").plus(lit(window)).gt(cutoff)));
        Column awaiting = coalesce(handed.and(bySupport.equalTo(false)).and(col("_paid_at").isNull()).and(stillOpen),
                lit(false));
        Column lost = handed.and(bySupport.equalTo(false)).and(awaiting.equalTo(false));
        double z = settings.analytics().wilsonZ();
        Column decided = col(HANDED_TO_SUPPORT).minus(col(AWAITING_SUPPORT));
        Column dunningDecided = col(FAILED_RENEWALS).minus(col(PENDING_DUNNING));
        return invoices.join(contact, Seqs.of("_invoice"), "left")
                .groupBy(Months.start(col("_failed_at")).as(MONTH_START))
                .agg(functions.count(lit(1)).as(FAILED_RENEWALS),
                        flag(paidInDunning).as(RECOVERED_BY_DUNNING),
                        flag(paidInDunning.equalTo(false).and(handed.equalTo(false))).as(PENDING_DUNNING),
                        flag(handed).as(HANDED_TO_SUPPORT),
                        flag(bySupport).as(RECOVERED_BY_SUPPORT),
                        flag(awaiting).as(AWAITING_SUPPORT),
                        flag(lost).as(LOST),
                        flag(lost.and(col("_paid_at").isNotNull())).as(PAID_WITHOUT_SUPPORT),
                        sum(when(bySupport, col("_paid_amount"))).as(RECOVERED_REVENUE))
                .withColumn(MONTH, Months.label(col(MONTH_START)))
                .withColumn(DUNNING_RECOVERY_RATE, when(dunningDecided.gt(0),
                        col(RECOVERED_BY_DUNNING).cast("double").divide(dunningDecided.cast("double"))))
                .withColumn(SUPPORT_RECOVERY_RATE, when(decided.gt(0),
                        col(RECOVERED_BY_SUPPORT).cast("double").divide(decided.cast("double"))))
                .withColumn(CI_LOW, Wilson.low(col(RECOVERED_BY_SUPPORT), decided, z))
                .withColumn(CI_HIGH, Wilson.high(col(RECOVERED_BY_SUPPORT), decided, z))
                .withColumn(RECOVERED_REVENUE, Months.orZero(RECOVERED_REVENUE))
                .select(COLUMNS.stream().map(functions::col).toArray(Column[]::new))
                .transform(Bounded.sortedBy(col(MONTH_START)));
    }

    private static Column flag(Column condition) {
        return sum(when(condition, 1L).otherwise(0L));
    }
}
