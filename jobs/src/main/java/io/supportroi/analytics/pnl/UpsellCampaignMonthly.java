package io.supportroi.analytics.pnl;

import io.supportroi.analytics.Bounded;
import io.supportroi.analytics.Wilson;
import io.supportroi.config.Settings;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * {@code gold.upsell_campaign_monthly}: the welcome-upsell outreach by month it was sent. An outreach converts when
 * its customer orders within the conversion window after it ({@link SupportAttribution#conversions}); only
 * outreaches whose window is over by as-of are judged, so the latest month is not biased low.
 */
public final class UpsellCampaignMonthly {
    private UpsellCampaignMonthly() {}

    public static final TableRef TABLE = TableRef.gold("upsell_campaign_monthly");

    public static final String MONTH = Months.MONTH;
    public static final String MONTH_START = Months.MONTH_START;
    /** Outreaches sent in the month whose conversion window has ended by as-of. */
    public static final String CONTACTED = "contacted";
    public static final String CONVERTED = "converted";
    public static final String CONVERSION_RATE = "conversion_rate";
    public static final String CI_LOW = "ci_low";
    public static final String CI_HIGH = "ci_high";
    public static final String REVENUE = "revenue";
    public static final String COGS = "cogs";
    public static final String GROSS_PROFIT = "gross_profit";
    /** Outreaches sent in the month whose window is still open at as-of: not yet judged, in no other column. */
    public static final String PENDING = "pending";

    public static final List<String> COLUMNS = List.of(MONTH, MONTH_START, CONTACTED, CONVERTED, CONVERSION_RATE,
            CI_LOW, CI_HIGH, REVENUE, COGS, GROSS_PROFIT, PENDING);

    /**
     * {@code revenue} counts each conversion order once, for the outreach it is credited to, whether or not it also
     * carries an agent's discount code: this is the campaign's view. The P&L books such an order under
     * {@code discount_code_revenue} instead (precedence in {@link SupportAttribution}).
     *
     * @param orders silver orders; replacements (config {@code pnl.replacement-order-tags}) never convert
     */
    public static Dataset<Row> apply(Dataset<Row> orders, Dataset<Row> orderLines, Dataset<Row> products,
                                     Dataset<Row> tickets, Timestamp asOfEnd, Settings settings) {
        return apply(SupportAttribution.attribute(SupportPnlMonthly.withoutReplacements(orders,
                        settings.pnl().replacementOrderTags()), orderLines, products, tickets,
                SupportAttribution.noAgents(orders.sparkSession()), settings.campaigns(), UnaryOperator.identity()),
                asOfEnd, settings);
    }

    /**
     * @param attributed {@link SupportAttribution#attribute}: the outreaches, and the cost of goods of the orders
     *                   they are credited with (whatever the agents' codes, every such order is attributed)
     */
    public static Dataset<Row> apply(SupportAttribution.Attributed attributed, Timestamp asOfEnd, Settings settings) {
        int window = settings.campaigns().conversionWindowDays();
        Column cutoff = lit(asOfEnd);
        Dataset<Row> outreach = attributed.upsellOutreach().filter(col(SupportAttribution.OUTREACH_AT).leq(cutoff));
        Column judged = col(SupportAttribution.OUTREACH_AT).plus(lit(Duration.ofDays(window))).leq(cutoff);
        Dataset<Row> cogs = attributed.orders().select(col(SupportAttribution.ORDER_ID).as("_cogs_order"),
                col(SupportAttribution.ORDER_COGS));
        Dataset<Row> withCogs = outreach.join(cogs, col(SupportAttribution.CONVERSION_ORDER_ID)
                .equalTo(col("_cogs_order")).and(col(SupportAttribution.CREDITED)), "left");
        Column credited = judged.and(col(SupportAttribution.CREDITED));
        double z = settings.analytics().wilsonZ();
        return withCogs
                .groupBy(Months.start(col(SupportAttribution.OUTREACH_AT)).as(MONTH_START))
                .agg(sum(when(judged, 1L).otherwise(0L)).as(CONTACTED),
                        sum(when(judged.and(col(SupportAttribution.CONVERSION_ORDER_ID).isNotNull()), 1L)
                                .otherwise(0L)).as(CONVERTED),
                        sum(when(credited, col(SupportAttribution.CONVERSION_TOTAL))).as(REVENUE),
                        sum(when(credited, col(SupportAttribution.ORDER_COGS))).as(COGS),
                        sum(when(judged, 0L).otherwise(1L)).as(PENDING))
                .withColumn(MONTH, Months.label(col(MONTH_START)))
                .withColumn(CONVERSION_RATE, when(col(CONTACTED).gt(0),
                        col(CONVERTED).cast("double").divide(col(CONTACTED).cast("double"))))
                .withColumn(CI_LOW, Wilson.low(col(CONVERTED), col(CONTACTED), z))
                .withColumn(CI_HIGH, Wilson.high(col(CONVERTED), col(CONTACTED), z))
                .withColumn(REVENUE, Months.orZero(REVENUE))
                .withColumn(COGS, Months.orZero(COGS))
                .withColumn(GROSS_PROFIT, col(REVENUE).minus(col(COGS)).cast(Months.MONEY))
                .select(COLUMNS.stream().map(functions::col).toArray(Column[]::new))
                .transform(Bounded.sortedBy(col(MONTH_START)));
    }
}
