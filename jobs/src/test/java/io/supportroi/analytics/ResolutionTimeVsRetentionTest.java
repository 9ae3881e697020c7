package io.supportroi.analytics;

import io.supportroi.config.Settings;
import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import org.apache.commons.math3.stat.interval.ConfidenceInterval;
import org.apache.commons.math3.stat.interval.WilsonScoreInterval;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.supportroi.analytics.ResolutionTimeVsRetention.*;
import static io.supportroi.testing.Frames.money;
import static io.supportroi.testing.Frames.row;
import static io.supportroi.testing.Frames.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A hand-computed case for the retention definition (SPEC §4): subscribers judged by an active subscription at
 * created_at + 90 days (one ending exactly then is not active), never-subscribers by an order in the window,
 * censored windows and unknown customers left out. Expected values are worked out in the comments.
 */
@ExtendWith(SparkTest.class)
class ResolutionTimeVsRetentionTest {
    private static final String TICKETS_DDL = "ticket_id STRING, customer_id STRING, created_at TIMESTAMP, "
            + "resolution_hours DOUBLE, first_response_seconds DOUBLE";
    private static final String SUBS_DDL = "customer_id STRING, started_at TIMESTAMP, ended_at TIMESTAMP";
    private static final String ORDERS_DDL = "customer_id STRING, ordered_at TIMESTAMP, total DECIMAL(18,2), "
            + "cancelled_at TIMESTAMP";
    private static final double Z = 1.959963984540054;

    private static Map<String, Row> rows;
    private static Map<String, Row> stats;

    @BeforeAll
    static void compute(SparkSession spark) {
        Dataset<Row> tickets = Frames.of(spark, TICKETS_DDL,
                // A: subscription ended 03-15, before the horizon 04-10 -> not retained. res <1h, frs 0.17h
                row("t1", "A", ts("2025-01-10T00:00:00Z"), 0.5, 600.0),
                // B: subscribed, never ended -> retained. res 1-4h, frs 0.5h
                row("t2", "B", ts("2025-01-20T00:00:00Z"), 2.0, 1800.0),
                // C: never subscribed, order 02-10 in (02-01, 05-02] -> retained, revenue 20. res 24-72h, frs 2h
                row("t3", "C", ts("2025-02-01T00:00:00Z"), 30.0, 7200.0),
                // C: window (04-01, 06-30 00:00] holds the 05-20 order -> retained, revenue 30. res >=72h, frs 25h
                row("t4", "C", ts("2025-04-01T00:00:00Z"), 100.0, 90000.0),
                // D: subscription ends exactly at created + 90d -> not active then -> not retained. res 4-24h, frs 5h
                row("t5", "D", ts("2025-01-02T10:00:00Z"), 10.0, 18000.0),
                // E: subscribed only from 05-01, after the horizon 04-10 -> judged by orders: 03-01 -> retained
                row("t6", "E", ts("2025-01-10T00:00:00Z"), 0.25, 60.0),
                // censored: 05-01 + 90d is after as-of
                row("t7", "B", ts("2025-05-01T00:00:00Z"), 1.0, 60.0),
                // still open: in no bucket of either metric
                row("t8", "A", ts("2025-02-01T00:00:00Z"), null, null),
                // unknown customer: cannot be judged
                row("t9", null, ts("2025-01-05T00:00:00Z"), 0.5, 60.0));
        Dataset<Row> subs = Frames.of(spark, SUBS_DDL,
                row("A", ts("2025-01-01T00:00:00Z"), ts("2025-03-15T00:00:00Z")),
                row("B", ts("2025-01-01T00:00:00Z"), null),
                row("D", ts("2024-12-01T00:00:00Z"), ts("2025-04-02T10:00:00Z")),
                row("E", ts("2025-05-01T00:00:00Z"), null));
        Dataset<Row> orders = Frames.of(spark, ORDERS_DDL,
                row("C", ts("2025-02-10T00:00:00Z"), money("20.00"), null),
                row("C", ts("2025-05-20T00:00:00Z"), money("30.00"), null),
                // cancelled: neither retention nor revenue
                row("A", ts("2025-02-15T00:00:00Z"), money("99.00"), ts("2025-02-16T00:00:00Z")),
                row("E", ts("2025-03-01T00:00:00Z"), money("50.00"), null));
        LocalDate asOf = LocalDate.parse("2025-06-30");
        Settings.AnalyticsSettings settings = Settings.defaults().analytics();
        Dataset<Row> outcomes = TicketOutcomes.apply(tickets, CustomerTimeline.apply(subs, orders),
                AsOf.endOfDay(asOf), settings.retentionHorizonDays());
        rows = new HashMap<>();
        Dataset<Row> buckets = ResolutionTimeVsRetention.apply(outcomes, asOf, settings);
        for (Row r : buckets.collectAsList()) {
            rows.put(r.getAs(METRIC) + "/" + r.getAs(BUCKET_ORDER), r);
        }
        stats = new HashMap<>();
        for (Row r : ResolutionTimeRetentionStats.apply(outcomes, buckets).collectAsList()) {
            stats.put(r.getAs(ResolutionTimeRetentionStats.METRIC), r);
        }
    }

    @Test
    void everyBucketOfBothMetricsIsPresent() {
        assertThat(rows).hasSize(10);
        assertThat(rows.get("resolution_time/0").<String>getAs(BUCKET)).isEqualTo("<1h");
        assertThat(rows.get("resolution_time/4").<String>getAs(BUCKET)).isEqualTo(">=72h");
        assertThat(rows.get("resolution_time/4").isNullAt(rows.get("resolution_time/4").fieldIndex(UPPER_HOURS))).isTrue();
    }

    @Test
    void resolutionTimeBucketsMatchHandComputation() {
        expect("resolution_time/0", 2, 2, 1, 0.5, 0.0, "25.00");
        expect("resolution_time/1", 1, 1, 1, 1.0, 0.5, "0.00");
        expect("resolution_time/2", 1, 1, 0, 0.0, -0.5, "0.00");
        expect("resolution_time/3", 1, 1, 1, 1.0, 0.5, "20.00");
        expect("resolution_time/4", 1, 1, 1, 1.0, 0.5, "30.00");
    }

    @Test
    void firstResponseBucketsMatchHandComputation() {
        expect("first_response_time/0", 3, 3, 2, 2.0 / 3.0, 0.0, "16.67");
        expect("first_response_time/1", 1, 1, 1, 1.0, 1.0 / 3.0, "20.00");
        expect("first_response_time/2", 1, 1, 0, 0.0, -2.0 / 3.0, "0.00");
        expect("first_response_time/3", 1, 1, 1, 1.0, 1.0 / 3.0, "30.00");
        Row empty = rows.get("first_response_time/4");
        assertThat(empty.<Long>getAs(TICKETS)).isZero();
        assertThat(empty.isNullAt(empty.fieldIndex(RETENTION_RATE))).isTrue();
        assertThat(empty.isNullAt(empty.fieldIndex(LIFT_VS_FASTEST))).isTrue();
        assertThat(empty.isNullAt(empty.fieldIndex(CI_LOW))).isTrue();
    }

    @Test
    void wilsonIntervalsAreExact() {
        // x=1, n=2: worked out with z = 1.959963984540054
        assertThat(rows.get("resolution_time/0").<Double>getAs(CI_LOW)).isCloseTo(0.09453120573423071, within(1e-12));
        assertThat(rows.get("resolution_time/0").<Double>getAs(CI_HIGH)).isCloseTo(0.9054687942657693, within(1e-12));
        assertThat(rows.get("resolution_time/2").<Double>getAs(CI_LOW)).isCloseTo(0.0, within(1e-12));
        assertThat(rows.get("resolution_time/2").<Double>getAs(CI_HIGH)).isCloseTo(0.7934506856227626, within(1e-12));
        assertThat(rows.get("first_response_time/0").<Double>getAs(CI_LOW)).isCloseTo(0.20765960080204768, within(1e-12));
        assertThat(rows.get("first_response_time/0").<Double>getAs(CI_HIGH)).isCloseTo(0.9385080552796037, within(1e-12));
    }

    @Test
    void wilsonAgreesWithCommonsMath(SparkSession spark) {
        WilsonScoreInterval reference = new WilsonScoreInterval();
        for (int[] xn : List.of(new int[] {1, 2}, new int[] {37, 120}, new int[] {999, 1000}, new int[] {0, 7})) {
            ConfidenceInterval ci = reference.createInterval(xn[1], xn[0], 0.95);
            Row r = spark.range(1).select(
                    Wilson.low(org.apache.spark.sql.functions.lit(xn[0]), org.apache.spark.sql.functions.lit(xn[1]), Z),
                    Wilson.high(org.apache.spark.sql.functions.lit(xn[0]), org.apache.spark.sql.functions.lit(xn[1]), Z))
                    .head();
            assertThat(r.getDouble(0)).isCloseTo(ci.getLowerBound(), within(1e-9));
            assertThat(r.getDouble(1)).isCloseTo(ci.getUpperBound(), within(1e-9));
        }
    }

    @Test
    void correlationsOfSpeedWithRetention() {
        // (hours, retained) pairs t1..t6; Spearman with average ranks for ties, worked out by hand
        Row res = stats.get(RESOLUTION_TIME);
        assertThat(res.<Long>getAs(ResolutionTimeRetentionStats.N)).isEqualTo(6L);
        assertThat(res.<Double>getAs(ResolutionTimeRetentionStats.PEARSON_R)).isCloseTo(0.36819056731644845, within(1e-12));
        assertThat(res.<Double>getAs(ResolutionTimeRetentionStats.SPEARMAN_RHO)).isCloseTo(0.20701966780270628, within(1e-12));
        double t = 0.36819056731644845 * Math.sqrt(4 / (1 - 0.36819056731644845 * 0.36819056731644845));
        double p = 2 * new org.apache.commons.math3.distribution.TDistribution(4).cumulativeProbability(-t);
        assertThat(res.<Double>getAs(ResolutionTimeRetentionStats.P_VALUE)).isCloseTo(p, within(1e-12));
        Row first = stats.get(FIRST_RESPONSE_TIME);
        assertThat(first.<Double>getAs(ResolutionTimeRetentionStats.PEARSON_R)).isCloseTo(0.22730119819564376, within(1e-12));
        assertThat(first.<Double>getAs(ResolutionTimeRetentionStats.SPEARMAN_RHO)).isCloseTo(0.0, within(1e-12));
        assertThat(first.<Double>getAs(ResolutionTimeRetentionStats.SPEARMAN_P_VALUE)).isCloseTo(1.0, within(1e-12));
        // six tickets: no bucket is significantly below the fastest, so there is no knee to report
        assertThat(res.isNullAt(res.fieldIndex(ResolutionTimeRetentionStats.KNEE_HOURS))).isTrue();
    }

    @Test
    void kneeAndFlatteningFromBucketCounts(SparkSession spark) {
        // retention 0.90, 0.90, 0.80, 0.70, 0.70 over 1000 tickets each
        Dataset<Row> buckets = Frames.of(spark, "metric STRING, bucket_order INT, lower_hours DOUBLE, upper_hours DOUBLE, "
                        + "tickets BIGINT, retained BIGINT",
                row("m", 0, 0.0, 1.0, 1000L, 900L), row("m", 1, 1.0, 4.0, 1000L, 900L),
                row("m", 2, 4.0, 24.0, 1000L, 800L), row("m", 3, 24.0, 72.0, 1000L, 700L),
                row("m", 4, 72.0, null, 1000L, 700L));
        java.util.List<Row> list = buckets.orderBy("bucket_order").collectAsList();
        // SPEC §4: 1-4h is level with the fastest, 4-24h is significantly below: the knee is 4h
        assertThat(ResolutionTimeRetentionStats.kneeHours(list)).isEqualTo(4.0);
        // SPEC §6: from 24h on retention no longer falls
        assertThat(ResolutionTimeRetentionStats.flattensFromHours(list)).isEqualTo(24.0);
    }

    private static void expect(String key, long tickets, long customers, long retained, double rate, double lift,
                               String revenuePerTicket) {
        Row r = rows.get(key);
        assertThat(r.<Long>getAs(TICKETS)).as(key + " tickets").isEqualTo(tickets);
        assertThat(r.<Long>getAs(CUSTOMERS)).as(key + " customers").isEqualTo(customers);
        assertThat(r.<Long>getAs(RETAINED)).as(key + " retained").isEqualTo(retained);
        assertThat(r.<Double>getAs(RETENTION_RATE)).as(key + " rate").isCloseTo(rate, within(1e-12));
        assertThat(r.<Double>getAs(LIFT_VS_FASTEST)).as(key + " lift").isCloseTo(lift, within(1e-12));
        assertThat(r.<BigDecimal>getAs(REVENUE_PER_TICKET_H)).as(key + " revenue").isEqualByComparingTo(revenuePerTicket);
        assertThat(r.<Double>getAs(CI_LOW)).isLessThanOrEqualTo(rate);
        assertThat(r.<Double>getAs(CI_HIGH)).isGreaterThanOrEqualTo(rate);
    }
}
