package io.supportroi.analytics.pnl;

import io.supportroi.config.Settings;
import io.supportroi.model.OrderLines;
import io.supportroi.model.Orders;
import io.supportroi.model.Products;
import io.supportroi.model.Tickets;
import io.supportroi.ops.Seqs;
import io.supportroi.ops.SparkSessions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.upper;

/**
 * The one place that decides which orders support drove, used by the P&L, the upsell campaign table and the agents'
 * sales revenue, so that they can never disagree about an order.
 *
 * <p>An outreach (a ticket of the upsell or win-back campaign with a known customer) converts with the customer's
 * first non-cancelled order in {@code (created_at, created_at + conversion-window-days]}. An order is attributed to
 * support at most once, by this precedence:
 * <ol>
 *   <li>{@code discount_code}: it carries an agent's discount code (the agent of that code);</li>
 *   <li>{@code upsell}: it is the conversion of a welcome-upsell outreach;</li>
 *   <li>{@code winback}: it is the conversion of a win-back outreach.</li>
 * </ol>
 * Within one kind, an order that converts several outreaches is credited to the latest of them (last touch; ties
 * by ticket id), and an order with two agents' codes to the agent whose id sorts first.
 */
public final class SupportAttribution {
    private SupportAttribution() {}

    public static final String ORDER_ID = "order_id";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String ORDERED_AT = "ordered_at";
    public static final String TOTAL = "total";
    /** {@link #DISCOUNT_CODE}, {@link #UPSELL} or {@link #WINBACK}. */
    public static final String ATTRIBUTION = "attribution";
    /** The agent credited: the code's owner, or the outreach ticket's agent (null when it had none). */
    public static final String AGENT_ID = "agent_id";
    /** The outreach ticket credited; null for discount-code orders. */
    public static final String TICKET_ID = "ticket_id";

    public static final String DISCOUNT_CODE = "discount_code";
    public static final String UPSELL = Tickets.CAMPAIGN_UPSELL;
    public static final String WINBACK = Tickets.CAMPAIGN_WINBACK;

    /** Per outreach: the ticket, when it was sent, and its conversion order (nulls when it did not convert). */
    public static final String OUTREACH_AT = "outreach_at";
    public static final String CONVERSION_ORDER_ID = "conversion_order_id";
    public static final String CONVERSION_ORDERED_AT = "conversion_ordered_at";
    public static final String CONVERSION_TOTAL = "conversion_total";
    /** Whether the conversion order is credited to this outreach (last touch among the campaign's outreaches). */
    public static final String CREDITED = "credited";
    /** The outreach's campaign: {@link #UPSELL} or {@link #WINBACK}. */
    public static final String CAMPAIGN = "campaign";
    /** Cost of goods of an attributed order: quantity x unit cost over its lines. */
    public static final String ORDER_COGS = "order_cogs";

    /** Columns the agent reference must have: agent_id, discount_code. */
    public static final String REF_AGENT_ID = "agent_id";
    public static final String REF_DISCOUNT_CODE = "discount_code";

    /** Orders that count as purchases: not cancelled, of a known customer. */
    public static Dataset<Row> purchases(Dataset<Row> orders) {
        return orders.filter(col(Orders.CANCELLED_AT).isNull().and(col(Orders.CUSTOMER_ID).isNotNull()));
    }

    /**
     * Every outreach of the given campaigns with its conversion order, in one pass over the orders; outreaches
     * compete for an order only within their campaign.
     *
     * @param campaigns of {@link Tickets#CAMPAIGN_UPSELL} and {@link Tickets#CAMPAIGN_WINBACK}
     * @return ticket_id, customer_id, agent_id, outreach_at, conversion_order_id, conversion_ordered_at,
     *         conversion_total, credited, campaign
     */
    public static Dataset<Row> conversions(Dataset<Row> orders, Dataset<Row> tickets, List<String> campaigns,
                                           int windowDays) {
        Dataset<Row> outreach = tickets
                .filter(col(Tickets.CAMPAIGN).isin(campaigns.toArray()).and(col(Tickets.CUSTOMER_ID).isNotNull()))
                .select(col(Tickets.TICKET_ID).as(TICKET_ID), col(Tickets.CUSTOMER_ID).as(CUSTOMER_ID),
                        col(Tickets.AGENT_ID).as(AGENT_ID), col(Tickets.CREATED_AT).as(OUTREACH_AT),
                        col(Tickets.CAMPAIGN).as(CAMPAIGN));
        Dataset<Row> candidates = purchases(orders).select(col(Orders.ORDER_ID).as("_c_order"),
                col(Orders.CUSTOMER_ID).as("_c_customer"), col(Orders.ORDERED_AT).as("_c_at"),
                col(Orders.TOTAL).as("_c_total"));
        Column inWindow = col("_c_customer").equalTo(col(CUSTOMER_ID))
                .and(col("_c_at").gt(col(OUTREACH_AT)))
                .and(col("_c_at").leq(col(OUTREACH_AT).plus(lit(Duration.ofDays(windowDays)))));
        var firstOrder = Window.partitionBy(col(CAMPAIGN), col(TICKET_ID)).orderBy(col("_c_at"), col("_c_order"));
        // Unconverted outreaches each get a group of their own, so they neither compete nor pile up in one partition.
        var lastTouch = Window.partitionBy(col(CAMPAIGN),
                        coalesce(col("_c_order"), concat(lit("unconverted:"), col(TICKET_ID))))
                .orderBy(col(OUTREACH_AT).desc(), col(TICKET_ID).desc());
        return outreach.join(candidates, inWindow, "left")
                .withColumn("_rn", row_number().over(firstOrder)).filter(col("_rn").equalTo(1))
                .withColumn(CREDITED, col("_c_order").isNotNull()
                        .and(row_number().over(lastTouch).equalTo(1)))
                .select(col(TICKET_ID), col(CUSTOMER_ID), col(AGENT_ID), col(OUTREACH_AT),
                        col("_c_order").as(CONVERSION_ORDER_ID), col("_c_at").as(CONVERSION_ORDERED_AT),
                        col("_c_total").as(CONVERSION_TOTAL), col(CREDITED), col(CAMPAIGN));
    }

    /**
     * Orders support drove, each once, with the precedence above.
     *
     * @param agents agent reference: agent_id, discount_code (codes are matched upper-cased, as silver stores them)
     * @return order_id, customer_id, ordered_at, total, attribution, agent_id, ticket_id
     */
    public static Dataset<Row> orders(Dataset<Row> orders, Dataset<Row> tickets, Dataset<Row> agents,
                                      Settings.CampaignSettings campaigns) {
        return orders(orders, conversions(orders, tickets, List.of(UPSELL, WINBACK), campaigns.conversionWindowDays()),
                agents);
    }

    /** @param outreach {@link #conversions} of both campaigns */
    private static Dataset<Row> orders(Dataset<Row> orders, Dataset<Row> outreach, Dataset<Row> agents) {
        Dataset<Row> codes = agents.filter(col(REF_DISCOUNT_CODE).isNotNull())
                .select(col(REF_AGENT_ID).as("_code_agent"), upper(col(REF_DISCOUNT_CODE)).as("_code"));
        // An equi-join on each of the order's distinct codes: the same pairs as a join on array_contains, which
        // Spark can only run as a nested loop over every order and every code.
        Dataset<Row> byCode = purchases(orders)
                .select(col(Orders.ORDER_ID), col(Orders.CUSTOMER_ID), col(Orders.ORDERED_AT), col(Orders.TOTAL),
                        explode(array_distinct(col(Orders.DISCOUNT_CODES))).as("_order_code"))
                .join(codes, col("_order_code").equalTo(col("_code")), "inner")
                .select(col(Orders.ORDER_ID).as(ORDER_ID), col(Orders.CUSTOMER_ID).as(CUSTOMER_ID),
                        col(Orders.ORDERED_AT).as(ORDERED_AT), col(Orders.TOTAL).as(TOTAL),
                        lit(DISCOUNT_CODE).as(ATTRIBUTION), col("_code_agent").as(AGENT_ID),
                        lit(null).cast("string").as(TICKET_ID), lit(0).as("_precedence"),
                        lit(null).cast("timestamp").as("_touch"));
        Dataset<Row> byUpsell = credited(outreach, UPSELL, 1);
        Dataset<Row> byWinback = credited(outreach, WINBACK, 2);
        var once = Window.partitionBy(ORDER_ID)
                .orderBy(col("_precedence"), col("_touch").desc(), col(AGENT_ID).asc_nulls_last(), col(TICKET_ID));
        // Each candidate carries its order's customer, time and total, so the winner needs no join back to orders.
        return byCode.unionByName(byUpsell).unionByName(byWinback)
                .withColumn("_rn", row_number().over(once)).filter(col("_rn").equalTo(1))
                .select(col(ORDER_ID), col(CUSTOMER_ID), col(ORDERED_AT), col(TOTAL), col(ATTRIBUTION), col(AGENT_ID),
                        col(TICKET_ID));
    }

    /**
     * The attribution as the gold stage reads it, computed once a run for the P&L, the upsell campaign table and the
     * agents' sales revenue.
     *
     * @param upsellOutreach {@link #conversions} of the welcome-upsell campaign, without {@link #CAMPAIGN}; an
     *                       outreach's conversion may be an order after as-of, so only outreaches whose window has
     *                       ended by as-of have their final conversion
     * @param orders         {@link #orders}, with each order's cost of goods ({@link #ORDER_COGS}, null for an
     *                       order without lines)
     */
    public record Attributed(Dataset<Row> upsellOutreach, Dataset<Row> orders) {}

    /** An agent reference without agents: for a table that needs the attribution's orders but not their agents. */
    static Dataset<Row> noAgents(SparkSession spark) {
        return spark.createDataFrame(List.of(), new StructType().add(REF_AGENT_ID, DataTypes.StringType)
                .add(REF_DISCOUNT_CODE, DataTypes.StringType));
    }

    /**
     * Attributes every order and outreach, whatever their dates. The orders up to as-of are attributed as they
     * would be from the data up to as-of alone: an outreach converts with its first order after it, and an order
     * is credited among the outreaches before it. So are the outreaches whose window has ended by as-of; one whose
     * window is still open may already show an order after as-of as its conversion.
     *
     * @param orders orders that can be purchases (replacements left out)
     * @param agents agent reference: agent_id, discount_code
     * @param hold   applied to what several readers share (the gold stage caches it)
     */
    public static Attributed attribute(Dataset<Row> orders, Dataset<Row> orderLines, Dataset<Row> products,
                                       Dataset<Row> tickets, Dataset<Row> agents, Settings.CampaignSettings campaigns,
                                       UnaryOperator<Dataset<Row>> hold) {
        Dataset<Row> outreach = hold.apply(conversions(orders, tickets, List.of(UPSELL, WINBACK),
                campaigns.conversionWindowDays()));
        // Held before its cost of goods is added: the lines are restricted to these orders, which would otherwise
        // be attributed twice, once for the restriction.
        Dataset<Row> attributed = hold.apply(orders(orders, outreach, agents));
        Dataset<Row> upsell = outreach.filter(col(CAMPAIGN).equalTo(UPSELL)).drop(CAMPAIGN);
        return new Attributed(upsell, hold.apply(attributed.join(orderCogs(attributed, orderLines, products),
                attributed.col(ORDER_ID).equalTo(col("_cogs_order")), "left").drop("_cogs_order")));
    }

    /** Cost of goods of the given orders: quantity x unit cost over their lines; a SKU without a cost costs 0. */
    private static Dataset<Row> orderCogs(Dataset<Row> attributed, Dataset<Row> orderLines, Dataset<Row> products) {
        Dataset<Row> costs = products.select(col(Products.SKU).as("_p_sku"), col(Products.UNIT_COST).as("_p_cost"));
        return orderLines
                .join(fewIds(attributed.select(col(ORDER_ID).as(OrderLines.ORDER_ID))), Seqs.of(OrderLines.ORDER_ID),
                        "left_semi")
                // The catalogue is reference data, small at any scale: broadcast even on small data, where joins are
                // not (one small job, against a shuffle of every line by SKU).
                .join(broadcast(costs), col(OrderLines.SKU).equalTo(col("_p_sku")), "left")
                .groupBy(col(OrderLines.ORDER_ID).as("_cogs_order"))
                .agg(sum(col(OrderLines.QUANTITY).cast(Months.MONEY).multiply(coalesce(col("_p_cost"), Months.zero())))
                        .as(ORDER_COGS));
    }

    /**
     * Ids of a small part of a large table (the attributed orders, the replacements), to find that part's rows of
     * another: on small data, where joins are otherwise not broadcast, they go to every partition of the other
     * table, which is then neither shuffled nor sorted (one small job against a shuffle and a sort of every row). At
     * scale the optimizer chooses from their size as for any join: a shop where most orders carry an agent's code
     * would make them no small part, and a forced broadcast ignores every size limit.
     */
    static Dataset<Row> fewIds(Dataset<Row> ids) {
        return SparkSessions.isSmallData(ids.sparkSession()) ? broadcast(ids) : ids;
    }

    private static Dataset<Row> credited(Dataset<Row> outreach, String campaign, int precedence) {
        return outreach.filter(col(CAMPAIGN).equalTo(campaign).and(col(CREDITED)))
                .select(col(CONVERSION_ORDER_ID).as(ORDER_ID), col(CUSTOMER_ID),
                        col(CONVERSION_ORDERED_AT).as(ORDERED_AT), col(CONVERSION_TOTAL).as(TOTAL),
                        lit(campaign).as(ATTRIBUTION), col(AGENT_ID), col(TICKET_ID), lit(precedence).as("_precedence"),
                        col(OUTREACH_AT).as("_touch"));
    }
}
