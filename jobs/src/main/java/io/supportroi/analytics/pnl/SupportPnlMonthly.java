package io.supportroi.analytics.pnl;

import io.supportroi.analytics.Bounded;
import io.supportroi.config.Settings;
import io.supportroi.model.Agents;
import io.supportroi.model.Claims;
import io.supportroi.model.Costs;
import io.supportroi.model.OrderLines;
import io.supportroi.model.Orders;
import io.supportroi.model.Refunds;
import io.supportroi.model.Tickets;
import io.supportroi.ops.Seqs;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

/**
 * {@code gold.support_pnl_monthly}: is support a cost or a profit center, month by month (SPEC §5). Revenue is the
 * orders {@link SupportAttribution} gives support, each once, at gross profit; costs are the team, the helpdesk
 * platform and a share of refunds and replacements.
 */
public final class SupportPnlMonthly {
    private SupportPnlMonthly() {}

    public static final TableRef TABLE = TableRef.gold("support_pnl_monthly");

    public static final String MONTH = Months.MONTH;
    public static final String MONTH_START = Months.MONTH_START;
    public static final String STAFF_COST = "staff_cost";
    public static final String PLATFORM_COST = "platform_cost";
    /** Money refunded in the month (every source). */
    public static final String REFUNDED = "refunded";
    /** Value of the replacements shipped in the month. */
    public static final String REPLACED = "replaced";
    public static final String REFUND_SHARE_COST = "refund_share_cost";
    public static final String UPSELL_REVENUE = "upsell_revenue";
    public static final String WINBACK_REVENUE = "winback_revenue";
    public static final String DISCOUNT_CODE_REVENUE = "discount_code_revenue";
    public static final String CLAIMS_RECOVERED = "claims_recovered";
    public static final String COGS = "cogs";
    public static final String SUPPORT_GROSS_PROFIT = "support_gross_profit";
    public static final String TOTAL_COST = "total_cost";
    public static final String NET_PROFIT = "net_profit";
    public static final String IS_PROFIT_CENTER = "is_profit_center";
    /** Orders attributed to support in the month. */
    public static final String SUPPORT_ORDERS = "support_orders";

    public static final List<String> COLUMNS = List.of(MONTH, MONTH_START, STAFF_COST, PLATFORM_COST, REFUNDED,
            REPLACED, REFUND_SHARE_COST, UPSELL_REVENUE, WINBACK_REVENUE, DISCOUNT_CODE_REVENUE, CLAIMS_RECOVERED,
            COGS, SUPPORT_GROSS_PROFIT, TOTAL_COST, NET_PROFIT, IS_PROFIT_CENTER, SUPPORT_ORDERS);

    /** Silver tables the P&L reads, already cut at as-of by {@link #apply}. */
    public record Inputs(Dataset<Row> orders, Dataset<Row> orderLines, Dataset<Row> products, Dataset<Row> tickets,
                         Dataset<Row> agents, Dataset<Row> refunds, Dataset<Row> claims, Dataset<Row> costs) {}

    /**
     * @param in     silver tables (orders, order_lines, products, tickets, agents, refunds, claims, costs); only the
     *               columns the model constants name are read
     * @param asOfEnd events after it are not counted
     */
    public static Dataset<Row> apply(Inputs in, Timestamp asOfEnd, Settings settings) {
        return apply(in, SupportAttribution.attribute(withoutReplacements(in.orders(), settings.pnl()
                        .replacementOrderTags()), in.orderLines(), in.products(), in.tickets(), agentCodes(in.agents()),
                settings.campaigns(), UnaryOperator.identity()), asOfEnd, settings);
    }

    /** The agent reference {@link SupportAttribution} reads, from silver.agents. */
    public static Dataset<Row> agentCodes(Dataset<Row> agents) {
        return agents.select(col(Agents.AGENT_ID).as(SupportAttribution.REF_AGENT_ID),
                col(Agents.DISCOUNT_CODE).as(SupportAttribution.REF_DISCOUNT_CODE));
    }

    /**
     * @param attributed {@link SupportAttribution#attribute} of the shop's orders without replacements, the
     *                   tickets and the agents of {@code in}
     */
    public static Dataset<Row> apply(Inputs in, SupportAttribution.Attributed attributed, Timestamp asOfEnd,
                                     Settings settings) {
        Column cutoff = lit(asOfEnd);
        Dataset<Row> orders = in.orders().filter(col(Orders.ORDERED_AT).leq(cutoff));
        Dataset<Row> tickets = in.tickets().filter(col(Tickets.CREATED_AT).leq(cutoff));
        Dataset<Row> refunds = in.refunds().filter(col(Refunds.REFUNDED_AT).leq(cutoff));
        Dataset<Row> claims = in.claims().filter(col(Claims.RECOVERED_AT).leq(cutoff));
        Dataset<Row> costs = in.costs().filter(col(Costs.MONTH_START).leq(cutoff.cast("date")));
        List<String> replacementTags = settings.pnl().replacementOrderTags();

        Dataset<Row> withCogs = attributed.orders().filter(col(SupportAttribution.ORDERED_AT).leq(cutoff));
        Column attribution = col(SupportAttribution.ATTRIBUTION);
        Column total = col(SupportAttribution.TOTAL);
        Dataset<Row> revenue = withCogs
                .groupBy(Months.start(col(SupportAttribution.ORDERED_AT)).as(MONTH_START))
                .agg(sum(when(attribution.equalTo(SupportAttribution.UPSELL), total)).as(UPSELL_REVENUE),
                        sum(when(attribution.equalTo(SupportAttribution.WINBACK), total)).as(WINBACK_REVENUE),
                        sum(when(attribution.equalTo(SupportAttribution.DISCOUNT_CODE), total))
                                .as(DISCOUNT_CODE_REVENUE),
                        sum(col(SupportAttribution.ORDER_COGS)).as(COGS),
                        count(lit(1)).as(SUPPORT_ORDERS));

        Dataset<Row> refunded = refunds.groupBy(Months.start(col(Refunds.REFUNDED_AT)).as(MONTH_START))
                .agg(sum(Refunds.AMOUNT).as(REFUNDED));
        Dataset<Row> replaced = replacementValues(orders, in.orderLines(), replacementTags)
                .groupBy(Months.start(col(Orders.ORDERED_AT)).as(MONTH_START))
                .agg(sum("_value").as(REPLACED));
        Dataset<Row> recovered = claims.filter(col(Claims.AMOUNT_RECOVERED).isNotNull())
                .groupBy(Months.start(col(Claims.RECOVERED_AT)).as(MONTH_START))
                .agg(sum(Claims.AMOUNT_RECOVERED).as(CLAIMS_RECOVERED));
        Dataset<Row> platform = costs.groupBy(col(Costs.MONTH_START).as(MONTH_START))
                .agg(sum(Costs.AMOUNT).as(PLATFORM_COST));
        // Agents carry no start or end date: the team on file is paid every month of the period.
        Dataset<Row> staff = in.agents().agg(sum(Agents.MONTHLY_COST).as(STAFF_COST));

        Dataset<Row> activity = tickets.select(Months.start(col(Tickets.CREATED_AT)).as(MONTH_START))
                .unionByName(orders.select(Months.start(col(Orders.ORDERED_AT)).as(MONTH_START)))
                .unionByName(refunds.select(Months.start(col(Refunds.REFUNDED_AT)).as(MONTH_START)))
                .unionByName(claims.select(Months.start(col(Claims.RECOVERED_AT)).as(MONTH_START)));

        BigDecimal share = BigDecimal.valueOf(settings.pnl().refundShare());
        Column grossProfit = col(UPSELL_REVENUE).plus(col(WINBACK_REVENUE)).plus(col(DISCOUNT_CODE_REVENUE))
                .minus(col(COGS)).plus(col(CLAIMS_RECOVERED));
        return Months.range(activity)
                .join(revenue, Seqs.of(MONTH_START), "left")
                .join(refunded, Seqs.of(MONTH_START), "left")
                .join(replaced, Seqs.of(MONTH_START), "left")
                .join(recovered, Seqs.of(MONTH_START), "left")
                .join(platform, Seqs.of(MONTH_START), "left")
                .crossJoin(staff)
                .withColumn(MONTH, Months.label(col(MONTH_START)))
                .withColumn(STAFF_COST, Months.orZero(STAFF_COST))
                .withColumn(PLATFORM_COST, Months.orZero(PLATFORM_COST))
                .withColumn(REFUNDED, Months.orZero(REFUNDED))
                .withColumn(REPLACED, Months.orZero(REPLACED))
                // Rounded once, on the month's total, so the cost is the share of what the month paid back.
                .withColumn(REFUND_SHARE_COST, round(col(REFUNDED).plus(col(REPLACED)).multiply(lit(share)), 2)
                        .cast(Months.MONEY))
                .withColumn(UPSELL_REVENUE, Months.orZero(UPSELL_REVENUE))
                .withColumn(WINBACK_REVENUE, Months.orZero(WINBACK_REVENUE))
                .withColumn(DISCOUNT_CODE_REVENUE, Months.orZero(DISCOUNT_CODE_REVENUE))
                .withColumn(CLAIMS_RECOVERED, Months.orZero(CLAIMS_RECOVERED))
                .withColumn(COGS, Months.orZero(COGS))
                .withColumn(SUPPORT_ORDERS, coalesce(col(SUPPORT_ORDERS), lit(0L)))
                .withColumn(SUPPORT_GROSS_PROFIT, grossProfit.cast(Months.MONEY))
                .withColumn(TOTAL_COST, col(STAFF_COST).plus(col(PLATFORM_COST)).plus(col(REFUND_SHARE_COST))
                        .cast(Months.MONEY))
                .withColumn(NET_PROFIT, col(SUPPORT_GROSS_PROFIT).minus(col(TOTAL_COST)).cast(Months.MONEY))
                .withColumn(IS_PROFIT_CENTER, col(NET_PROFIT).gt(0))
                .select(COLUMNS.stream().map(functions::col).toArray(Column[]::new))
                .transform(Bounded.sortedBy(col(MONTH_START)));
    }

    /** Whether an order is a replacement: it carries one of the configured tags, compared case-insensitively. */
    public static Column isReplacement(List<String> replacementTags) {
        Object[] tags = replacementTags.stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).toArray();
        if (tags.length == 0) {
            return lit(false);
        }
        return coalesce(exists(col(Orders.TAGS), t -> lower(trim(t)).isin(tags)),
                lit(false));
    }

    /** Orders that can be purchases: a replacement shipped free is never revenue, nor anyone's conversion. */
    public static Dataset<Row> withoutReplacements(Dataset<Row> orders, List<String> replacementTags) {
        return orders.filter(isReplacement(replacementTags).equalTo(false));
    }

    /**
     * Replacements shipped (not cancelled), valued at what the customer would have paid: quantity x unit price of
     * their lines, or the order total when the order has no lines.
     *
     * @return ordered_at, _value
     */
    static Dataset<Row> replacementValues(Dataset<Row> orders, Dataset<Row> orderLines, List<String> replacementTags) {
        Dataset<Row> replacements = orders.filter(isReplacement(replacementTags).and(col(Orders.CANCELLED_AT).isNull()));
        Dataset<Row> lineValues = orderLines
                .join(SupportAttribution.fewIds(replacements.select(col(Orders.ORDER_ID).as(OrderLines.ORDER_ID))),
                        Seqs.of(OrderLines.ORDER_ID), "left_semi")
                .groupBy(col(OrderLines.ORDER_ID).as("_l_order"))
                .agg(sum(col(OrderLines.QUANTITY).cast(Months.MONEY).multiply(col(OrderLines.UNIT_PRICE)))
                        .as("_l_value"));
        return replacements.join(lineValues, col(Orders.ORDER_ID).equalTo(col("_l_order")), "left")
                .select(col(Orders.ORDERED_AT), coalesce(col("_l_value"), col(Orders.TOTAL), Months.zero()).as("_value"));
    }
}
