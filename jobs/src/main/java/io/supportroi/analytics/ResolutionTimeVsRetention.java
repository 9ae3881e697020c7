package io.supportroi.analytics;

import io.supportroi.config.Settings;
import io.supportroi.model.Tickets;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.sql.Date;
import java.time.LocalDate;
import java.util.List;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * {@code gold.resolution_time_vs_retention}: for each speed metric and bucket, how many ticket customers were still
 * customers H days later, with a Wilson interval, revenue per ticket in the horizon, and the difference from the
 * fastest bucket. Every configured bucket appears, empty ones with zero tickets.
 */
public final class ResolutionTimeVsRetention {
    private ResolutionTimeVsRetention() {}

    public static final TableRef TABLE = TableRef.gold("resolution_time_vs_retention");

    public static final String METRIC = "metric";
    public static final String BUCKET = SpeedBuckets.BUCKET;
    public static final String BUCKET_ORDER = SpeedBuckets.BUCKET_ORDER;
    public static final String LOWER_HOURS = SpeedBuckets.LOWER_HOURS;
    public static final String UPPER_HOURS = SpeedBuckets.UPPER_HOURS;
    public static final String TICKETS = "tickets";
    public static final String CUSTOMERS = "customers";
    public static final String RETAINED = "retained";
    public static final String RETENTION_RATE = "retention_rate";
    public static final String CI_LOW = "ci_low";
    public static final String CI_HIGH = "ci_high";
    public static final String REVENUE_PER_TICKET_H = "revenue_per_ticket_h";
    public static final String LIFT_VS_FASTEST = "lift_vs_fastest";
    public static final String HORIZON_DAYS = "horizon_days";
    public static final String AS_OF = "as_of";

    public static final String RESOLUTION_TIME = "resolution_time";
    public static final String FIRST_RESPONSE_TIME = "first_response_time";

    private static final String HOURS = "_hours";

    /** A speed metric and how it is read off a ticket, in hours. */
    public record Metric(String name, Column hours) {}

    public static List<Metric> metrics() {
        return List.of(
                new Metric(RESOLUTION_TIME, col(Tickets.RESOLUTION_HOURS)),
                new Metric(FIRST_RESPONSE_TIME, col(Tickets.FIRST_RESPONSE_SECONDS).divide(3600.0)));
    }

    /**
     * @param outcomes {@link TicketOutcomes#apply}: eligible tickets with {@code retained} and {@code revenue_h}
     */
    public static Dataset<Row> apply(Dataset<Row> outcomes, LocalDate asOf, Settings.AnalyticsSettings settings) {
        List<Double> bounds = settings.speedBucketBoundsHours();
        double z = settings.wilsonZ();
        Dataset<Row> perMetric = outcomes
                .select(col(Tickets.CUSTOMER_ID), col(TicketOutcomes.RETAINED), col(TicketOutcomes.REVENUE_H),
                        explode(array(metrics().stream()
                                .map(m -> struct(lit(m.name()).as(METRIC), m.hours().as(HOURS)))
                                .toArray(Column[]::new))).as("_m"))
                .select(col(Tickets.CUSTOMER_ID), col(TicketOutcomes.RETAINED), col(TicketOutcomes.REVENUE_H),
                        col("_m." + METRIC).as(METRIC), col("_m." + HOURS).as(HOURS))
                .filter(col(HOURS).isNotNull())
                .withColumn(BUCKET_ORDER, SpeedBuckets.orderOf(col(HOURS), bounds));
        Dataset<Row> counts = perMetric.groupBy(METRIC, BUCKET_ORDER).agg(
                count(lit(1)).as(TICKETS),
                count_distinct(col(Tickets.CUSTOMER_ID)).as(CUSTOMERS),
                sum(when(col(TicketOutcomes.RETAINED), 1L).otherwise(0L)).as(RETAINED),
                sum(col(TicketOutcomes.REVENUE_H)).as("_revenue"));

        Dataset<Row> grid = metricTable(outcomes).crossJoin(SpeedBuckets.table(outcomes.sparkSession(), bounds));
        Column n = col(TICKETS);
        var byMetric = Window.partitionBy(METRIC).orderBy(BUCKET_ORDER)
                .rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
        Column rate = when(n.gt(0), col(RETAINED).cast("double").divide(n.cast("double")));
        return grid.join(counts, io.supportroi.ops.Seqs.of(METRIC, BUCKET_ORDER), "left")
                .withColumn(TICKETS, coalesce(col(TICKETS), lit(0L)))
                .withColumn(CUSTOMERS, coalesce(col(CUSTOMERS), lit(0L)))
                .withColumn(RETAINED, coalesce(col(RETAINED), lit(0L)))
                .withColumn(RETENTION_RATE, rate)
                .withColumn(CI_LOW, Wilson.low(col(RETAINED), n, z))
                .withColumn(CI_HIGH, Wilson.high(col(RETAINED), n, z))
                .withColumn(REVENUE_PER_TICKET_H, when(n.gt(0),
                        round(col("_revenue").divide(n), 2).cast("decimal(18,2)")))
                .withColumn(LIFT_VS_FASTEST, col(RETENTION_RATE).minus(
                        first(col(RETENTION_RATE), true).over(byMetric)))
                .withColumn(HORIZON_DAYS, lit(settings.retentionHorizonDays()))
                .withColumn(AS_OF, lit(Date.valueOf(asOf)))
                .select(METRIC, BUCKET, BUCKET_ORDER, LOWER_HOURS, UPPER_HOURS, TICKETS, CUSTOMERS, RETAINED,
                        RETENTION_RATE, CI_LOW, CI_HIGH, REVENUE_PER_TICKET_H, LIFT_VS_FASTEST, HORIZON_DAYS, AS_OF)
                .transform(Bounded.sortedBy(col(METRIC), col(BUCKET_ORDER)));
    }

    private static Dataset<Row> metricTable(Dataset<Row> any) {
        StructType schema = new StructType().add(METRIC, DataTypes.StringType, false);
        return any.sparkSession().createDataFrame(
                metrics().stream().map(m -> RowFactory.create(m.name())).toList(), schema);
    }
}
