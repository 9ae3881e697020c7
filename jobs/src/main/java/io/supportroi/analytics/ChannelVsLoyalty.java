package io.supportroi.analytics;

import io.supportroi.config.Settings;
import io.supportroi.model.Tickets;
import io.supportroi.ops.TableRef;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.stat.ChiSquareTest;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.sql.Timestamp;
import java.time.Duration;

import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * {@code gold.channel_vs_loyalty}: per normalised channel a ticket came in on, retention after the ticket (as in
 * {@link ResolutionTimeVsRetention}), repeat purchase and revenue in the 180 days after the customer's first ticket
 * on that channel, CSAT and median resolution time. A last row, {@code channel = 'all'}, holds the totals and a
 * chi-square test of independence between channel and retention (MLlib {@link ChiSquareTest}).
 */
public final class ChannelVsLoyalty {
    private ChannelVsLoyalty() {}

    public static final TableRef TABLE = TableRef.gold("channel_vs_loyalty");

    public static final String CHANNEL = "channel";
    public static final String CUSTOMERS = "customers";
    public static final String TICKETS = "tickets";
    public static final String RETAINED = "retained";
    public static final String RETENTION_RATE = "retention_rate";
    public static final String CI_LOW = "ci_low";
    public static final String CI_HIGH = "ci_high";
    public static final String REPEAT_CUSTOMERS = "repeat_customers_180d";
    public static final String CUSTOMERS_180D = "customers_180d";
    public static final String REPEAT_PURCHASE_RATE = "repeat_purchase_rate";
    public static final String REVENUE_PER_CUSTOMER_180D = "revenue_per_customer_180d";
    public static final String CSAT = "csat";
    public static final String MEDIAN_RESOLUTION_HOURS = "median_resolution_hours";
    public static final String CHI_SQUARE = "chi_square";
    public static final String CHI_SQUARE_DOF = "chi_square_dof";
    public static final String CHI_SQUARE_P_VALUE = "chi_square_p_value";

    /** The totals-and-test row. */
    public static final String ALL = "all";

    /** Window for repeat purchase and revenue after the first ticket on a channel. */
    public static final int LOYALTY_DAYS = 180;

    /**
     * @param tickets  silver tickets (all of them: CSAT and resolution time do not need a finished window)
     * @param outcomes {@link TicketOutcomes#apply} for the retention horizon
     * @param timeline {@link CustomerTimeline#apply}
     */
    public static Dataset<Row> apply(Dataset<Row> tickets, Dataset<Row> outcomes, Dataset<Row> timeline,
                                     Timestamp asOfEnd, Settings.AnalyticsSettings settings) {
        double z = settings.wilsonZ();
        Dataset<Row> retention = outcomes.groupBy(Tickets.CHANNEL).agg(
                count(lit(1)).as(TICKETS),
                count_distinct(col(Tickets.CUSTOMER_ID)).as(CUSTOMERS),
                sum(when(col(TicketOutcomes.RETAINED), 1L).otherwise(0L)).as(RETAINED));
        Dataset<Row> quality = tickets.groupBy(Tickets.CHANNEL).agg(
                avg(col(Tickets.CSAT).cast("double")).as(CSAT),
                percentile(col(Tickets.RESOLUTION_HOURS), lit(0.5)).as(MEDIAN_RESOLUTION_HOURS));
        Dataset<Row> loyalty = loyalty(tickets, timeline, asOfEnd);

        Dataset<Row> perChannel = retention
                .join(quality, io.supportroi.ops.Seqs.of(CHANNEL), "full_outer")
                .join(loyalty, io.supportroi.ops.Seqs.of(CHANNEL), "full_outer");
        Dataset<Row> totals = outcomes.agg(
                        count(lit(1)).as(TICKETS),
                        count_distinct(col(Tickets.CUSTOMER_ID)).as(CUSTOMERS),
                        sum(when(col(TicketOutcomes.RETAINED), 1L).otherwise(0L)).as(RETAINED))
                .crossJoin(tickets.agg(avg(col(Tickets.CSAT).cast("double")).as(CSAT),
                        percentile(col(Tickets.RESOLUTION_HOURS), lit(0.5)).as(MEDIAN_RESOLUTION_HOURS)))
                .crossJoin(loyalty.agg(sum(REPEAT_CUSTOMERS).as(REPEAT_CUSTOMERS), sum(CUSTOMERS_180D).as(CUSTOMERS_180D),
                        sum("_revenue_180d").as("_revenue_180d")))
                .crossJoin(chiSquare(outcomes))
                .withColumn(CHANNEL, lit(ALL));
        Column n = col(TICKETS);
        return perChannel
                .withColumn(CHI_SQUARE, lit(null).cast("double"))
                .withColumn(CHI_SQUARE_DOF, lit(null).cast("int"))
                .withColumn(CHI_SQUARE_P_VALUE, lit(null).cast("double"))
                .unionByName(totals)
                .withColumn(TICKETS, coalesce(col(TICKETS), lit(0L)))
                .withColumn(CUSTOMERS, coalesce(col(CUSTOMERS), lit(0L)))
                .withColumn(RETAINED, coalesce(col(RETAINED), lit(0L)))
                .withColumn(RETENTION_RATE, when(n.gt(0), col(RETAINED).cast("double").divide(n.cast("double"))))
                .withColumn(CI_LOW, Wilson.low(col(RETAINED), n, z))
                .withColumn(CI_HIGH, Wilson.high(col(RETAINED), n, z))
                .withColumn(REPEAT_PURCHASE_RATE, when(col(CUSTOMERS_180D).gt(0),
                        col(REPEAT_CUSTOMERS).cast("double").divide(col(CUSTOMERS_180D).cast("double"))))
                .withColumn(REVENUE_PER_CUSTOMER_180D, when(col(CUSTOMERS_180D).gt(0),
                        round(col("_revenue_180d").divide(col(CUSTOMERS_180D)), 2).cast("decimal(18,2)")))
                .select(CHANNEL, CUSTOMERS, TICKETS, RETAINED, RETENTION_RATE, CI_LOW, CI_HIGH, REPEAT_PURCHASE_RATE,
                        REVENUE_PER_CUSTOMER_180D, CSAT, MEDIAN_RESOLUTION_HOURS, CUSTOMERS_180D, REPEAT_CUSTOMERS,
                        CHI_SQUARE, CHI_SQUARE_DOF, CHI_SQUARE_P_VALUE)
                .transform(Bounded.sortedBy(when(col(CHANNEL).equalTo(ALL), 1).otherwise(0), col(CHANNEL)));
    }

    /**
     * Per channel: customers whose first ticket on it has a complete 180-day window, how many of them ordered in
     * that window, and what they spent.
     */
    static Dataset<Row> loyalty(Dataset<Row> tickets, Dataset<Row> timeline, Timestamp asOfEnd) {
        Dataset<Row> firsts = tickets.filter(col(Tickets.CUSTOMER_ID).isNotNull())
                .groupBy(Tickets.CHANNEL, Tickets.CUSTOMER_ID)
                .agg(min(Tickets.CREATED_AT).as("_first"))
                .filter(col("_first").plus(lit(Duration.ofDays(LOYALTY_DAYS))).leq(lit(asOfEnd)));
        Dataset<Row> joined = firsts.join(timeline,
                firsts.col(Tickets.CUSTOMER_ID).equalTo(timeline.col(CustomerTimeline.CUSTOMER_ID)), "left");
        Column end = col("_first").plus(lit(Duration.ofDays(LOYALTY_DAYS)));
        Column orders = coalesce(col(CustomerTimeline.ORDERS), org.apache.spark.sql.functions.array().cast(
                timeline.schema().apply(CustomerTimeline.ORDERS).dataType()));
        java.util.function.Function<Column, Column> inWindow = o -> o.getField(CustomerTimeline.ORDERED_AT).gt(col("_first"))
                .and(o.getField(CustomerTimeline.ORDERED_AT).leq(end));
        return joined
                .withColumn("_repeat", exists(orders, inWindow::apply))
                .withColumn("_revenue", aggregate(filter(orders, inWindow::apply), lit(0).cast("decimal(28,2)"),
                        (acc, o) -> acc.plus(coalesce(o.getField(CustomerTimeline.TOTAL), lit(0))).cast("decimal(28,2)")))
                .groupBy(Tickets.CHANNEL)
                .agg(count(lit(1)).as(CUSTOMERS_180D),
                        sum(when(col("_repeat"), 1L).otherwise(0L)).as(REPEAT_CUSTOMERS),
                        sum("_revenue").as("_revenue_180d"));
    }

    /** Chi-square test of independence of channel and retention over the eligible tickets; nulls without data. */
    static Dataset<Row> chiSquare(Dataset<Row> outcomes) {
        Dataset<Row> labelled = outcomes.select(col(Tickets.CHANNEL),
                when(col(TicketOutcomes.RETAINED), 1.0).otherwise(0.0).as("label"));
        var spark = outcomes.sparkSession();
        org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
                .add(CHI_SQUARE, "double").add(CHI_SQUARE_DOF, "int").add(CHI_SQUARE_P_VALUE, "double");
        long channels = labelled.select(Tickets.CHANNEL).distinct().count();
        if (channels < 2) {
            return spark.createDataFrame(java.util.List.of(org.apache.spark.sql.RowFactory.create(null, null, null)), schema);
        }
        Dataset<Row> indexed = new StringIndexer().setInputCol(Tickets.CHANNEL).setOutputCol("_channel_index")
                .setStringOrderType("alphabetAsc").fit(labelled).transform(labelled);
        Dataset<Row> features = new VectorAssembler().setInputCols(new String[] {"_channel_index"})
                .setOutputCol("features").transform(indexed);
        Row r = ChiSquareTest.test(features, "features", "label").head();
        org.apache.spark.ml.linalg.Vector p = r.getAs("pValues");
        scala.collection.Seq<Object> dof = r.getAs("degreesOfFreedom");
        org.apache.spark.ml.linalg.Vector stat = r.getAs("statistics");
        return spark.createDataFrame(java.util.List.of(org.apache.spark.sql.RowFactory.create(
                stat.apply(0), ((Number) dof.apply(0)).intValue(), p.apply(0))), schema);
    }
}
