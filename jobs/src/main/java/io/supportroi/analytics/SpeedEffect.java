package io.supportroi.analytics;

import io.supportroi.model.Tickets;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * {@code gold.speed_effect} (SPEC §8): the change in a ticket's customer retention when its resolution (or first
 * response) time doubles, estimated twice. {@code naive}: the least-squares slope of retained on log2 time within
 * channel × week, which also carries whatever makes slow tickets churn on their own (hard problems). {@code
 * instrumented}: two-stage least squares with the routed agent's typical speed as the instrument, within the same
 * channel × week cells: routing does not look at the customer, so the agent moves the ticket's time without moving
 * its customer's own risk.
 *
 * <p>The instrument is the agent's mean log2 time over their tickets in the channel's other weeks: a ticket's own
 * noise is not in its instrument, and an agent's instrument is one number within a cell (leaving out only the ticket
 * itself would make it a function of the ticket's own time, a perfect and meaningless first stage when one agent
 * takes a whole cell). {@code first_stage_f} is the F statistic of that instrument in the
 * first stage; below {@link #WEAK_F}, or where it cannot be computed, the instrument is flagged {@code weak} and its
 * estimate should not be read.
 *
 * <p>Intervals are percentile bootstrap intervals over customers (a customer's tickets share one outcome history).
 * Customers are hashed into {@link #BUCKETS} random groups whose sums are collected (a fixed-size result whatever
 * the input size) and resampled in the driver: resampling random groups of customers is a cluster bootstrap.
 * Estimates use the cells' means computed once, not per replicate.
 */
public final class SpeedEffect {
    private SpeedEffect() {}

    public static final TableRef TABLE = TableRef.gold("speed_effect");

    public static final String METRIC = "metric";
    public static final String METHOD = "method";
    public static final String EFFECT_PER_DOUBLING = "effect_per_doubling";
    public static final String CI_LOW = "ci_low";
    public static final String CI_HIGH = "ci_high";
    public static final String N = "n";
    public static final String FIRST_STAGE_F = "first_stage_f";
    public static final String WEAK_INSTRUMENT = "weak_instrument";
    public static final String BALANCE_T = "balance_t";
    public static final String UNRELIABLE_INSTRUMENT = "unreliable_instrument";

    /**
     * Optional input column: the ticket's customer's risk as known before the ticket (a churn model's expected
     * churn from tenure, prior tickets, prior failed payments, tags). Random routing leaves it unrelated to the
     * instrument; a significant relation ({@code |balance_t| >= }{@link #BALANCE_LIMIT}) means routing looked at
     * the customer, and the instrument is flagged unreliable however strong its first stage.
     */
    public static final String PRE_TICKET_RISK = "pre_ticket_risk";

    public static final String RESOLUTION_TIME = "resolution_time";
    public static final String FIRST_RESPONSE_TIME = "first_response_time";
    public static final String NAIVE = "naive";
    public static final String INSTRUMENTED = "instrumented";

    /** The usual rule of thumb (Staiger and Stock): a first-stage F below 10 is a weak instrument. */
    public static final double WEAK_F = 10.0;
    public static final double BALANCE_LIMIT = 3.0;
    public static final int BUCKETS = 1000;
    public static final int REPLICATES = 1000;

    public static final StructType SCHEMA = new StructType()
            .add(METRIC, DataTypes.StringType, false)
            .add(METHOD, DataTypes.StringType, false)
            .add(EFFECT_PER_DOUBLING, DataTypes.DoubleType, true)
            .add(CI_LOW, DataTypes.DoubleType, true)
            .add(CI_HIGH, DataTypes.DoubleType, true)
            .add(N, DataTypes.LongType, false)
            .add(FIRST_STAGE_F, DataTypes.DoubleType, true)
            .add(WEAK_INSTRUMENT, DataTypes.BooleanType, true)
            .add(BALANCE_T, DataTypes.DoubleType, true)
            .add(UNRELIABLE_INSTRUMENT, DataTypes.BooleanType, true);

    private static final String X = "x";
    private static final String Y = "y";
    private static final String Z = "z";
    private static final String CELL = "cell";
    private static final String BUCKET = "bucket";
    private static final String R = "r";
    /** Per-bucket sums; "cells" adds 1 / (tickets in the ticket's cell), so its total counts the cells. */
    private static final String[] SUMS = {"n", "sxx", "sxy", "szx", "szy", "szz", "szr", "srr", "cells"};

    /**
     * {@code outcomes}: one row per reactive ticket with a known outcome ({@link TicketOutcomes}), with the ticket's
     * channel, agent, creation time and times. Tickets of agents with no ticket in the channel's other weeks, and
     * cells of one ticket, carry no information and are left out.
     */
    public static Dataset<Row> apply(SparkSession spark, Dataset<Row> outcomes, double confidence, long seed) {
        List<Row> rows = new ArrayList<>();
        rows.addAll(estimate(outcomes, RESOLUTION_TIME, col(Tickets.RESOLUTION_HOURS), confidence, seed));
        rows.addAll(estimate(outcomes, FIRST_RESPONSE_TIME,
                col(Tickets.FIRST_RESPONSE_SECONDS).cast("double").divide(3600.0), confidence, seed));
        return spark.createDataFrame(rows, SCHEMA);
    }

    private static List<Row> estimate(Dataset<Row> outcomes, String metric, Column hours, double confidence,
                                      long seed) {
        WindowSpec agentChannel = Window.partitionBy(col(Tickets.AGENT_ID), col(Tickets.CHANNEL));
        WindowSpec cell = Window.partitionBy(col(CELL));
        WindowSpec agentCell = Window.partitionBy(col(Tickets.AGENT_ID), col(CELL));
        boolean withRisk = List.of(outcomes.columns()).contains(PRE_TICKET_RISK);
        Dataset<Row> tickets = outcomes
                .withColumn(R, withRisk ? col(PRE_TICKET_RISK).cast("double") : lit(0.0))
                .filter(col(R).isNotNull())
                .filter(col(Tickets.CAMPAIGN).isNull().and(col(Tickets.AGENT_ID).isNotNull())
                        .and(col(TicketOutcomes.RETAINED).isNotNull()))
                .withColumn(X, when(hours.gt(0), log(2.0, hours)))
                .filter(col(X).isNotNull())
                .withColumn(Y, when(col(TicketOutcomes.RETAINED), 1.0).otherwise(0.0))
                .withColumn(CELL, org.apache.spark.sql.functions.concat_ws("|", col(Tickets.CHANNEL),
                        date_trunc("week", col(Tickets.CREATED_AT)).cast("string")))
                .withColumn("agent_n", count(lit(1)).over(agentChannel).minus(count(lit(1)).over(agentCell)))
                .withColumn("agent_sx", sum(col(X)).over(agentChannel).minus(sum(col(X)).over(agentCell)))
                .filter(col("agent_n").gt(0))
                .withColumn(Z, col("agent_sx").divide(col("agent_n")))
                .withColumn("cell_n", count(lit(1)).over(cell))
                .filter(col("cell_n").gt(1))
                .withColumn(X, col(X).minus(avg(col(X)).over(cell)))
                .withColumn(Y, col(Y).minus(avg(col(Y)).over(cell)))
                .withColumn(Z, col(Z).minus(avg(col(Z)).over(cell)))
                .withColumn(R, col(R).minus(avg(col(R)).over(cell)));
        // Bounded: at most BUCKETS rows of a few sums, whatever the number of tickets.
        List<Row> buckets = tickets
                .withColumn(BUCKET, pmod(hash(col(Tickets.CUSTOMER_ID), lit(seed)), lit(BUCKETS)))
                .groupBy(BUCKET)
                .agg(count(lit(1)).cast("double").as(SUMS[0]),
                        sum(col(X).multiply(col(X))).as(SUMS[1]), sum(col(X).multiply(col(Y))).as(SUMS[2]),
                        sum(col(Z).multiply(col(X))).as(SUMS[3]), sum(col(Z).multiply(col(Y))).as(SUMS[4]),
                        sum(col(Z).multiply(col(Z))).as(SUMS[5]), sum(col(Z).multiply(col(R))).as(SUMS[6]),
                        sum(col(R).multiply(col(R))).as(SUMS[7]),
                        sum(lit(1.0).divide(col("cell_n"))).as(SUMS[8]))
                .collectAsList();
        double[][] sums = new double[buckets.size()][SUMS.length];
        for (int i = 0; i < buckets.size(); i++) {
            for (int k = 0; k < SUMS.length; k++) {
                sums[i][k] = buckets.get(i).<Double>getAs(SUMS[k]);
            }
        }
        Sums all = Sums.of(sums, null);
        double[] naive = new double[REPLICATES];
        double[] iv = new double[REPLICATES];
        SplittableRandom rng = new SplittableRandom(seed ^ metric.hashCode());
        int[] draw = new int[sums.length];
        for (int b = 0; b < REPLICATES; b++) {
            Arrays.fill(draw, 0);
            for (int i = 0; i < sums.length; i++) {
                draw[rng.nextInt(sums.length)]++;
            }
            Sums s = Sums.of(sums, draw);
            naive[b] = s.naive();
            iv[b] = s.instrumented();
        }
        double f = all.firstStageF();
        boolean weak = !(f >= WEAK_F);
        Double balance = withRisk ? finite(all.balanceT()) : null;
        boolean unbalanced = balance != null && Math.abs(balance) >= BALANCE_LIMIT;
        double alpha = (1 - confidence) / 2;
        return List.of(
                RowFactory.create(metric, NAIVE, finite(all.naive()), quantile(naive, alpha),
                        quantile(naive, 1 - alpha), (long) all.n, null, null, null, null),
                RowFactory.create(metric, INSTRUMENTED, finite(all.instrumented()), quantile(iv, alpha),
                        quantile(iv, 1 - alpha), (long) all.n, finite(f), weak, balance, weak || unbalanced));
    }

    /** The within-cell sums, over every bucket or a bootstrap draw of them. */
    record Sums(double n, double sxx, double sxy, double szx, double szy, double szz, double szr, double srr,
                double cells) {
        static Sums of(double[][] buckets, int[] times) {
            double[] t = new double[SUMS.length];
            for (int i = 0; i < buckets.length; i++) {
                int w = times == null ? 1 : times[i];
                for (int k = 0; k < SUMS.length; k++) {
                    t[k] += w * buckets[i][k];
                }
            }
            return new Sums(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], Math.round(t[8]));
        }

        double naive() {
            return sxy / sxx;
        }

        double instrumented() {
            return szy / szx;
        }

        /** The t statistic of the pre-ticket risk's slope on the instrument, within cells. */
        double balanceT() {
            return slopeT(szr, srr);
        }

        /**
         * F of the instrument in the first stage (time on instrument, cell effects absorbed): the squared t of its
         * slope. Zero when the instrument does not vary within cells (one agent per cell): it moves nothing.
         */
        double firstStageF() {
            if (dof() > 0 && !(szz > 0)) {
                return 0.0;
            }
            double t = slopeT(szx, sxx);
            return t * t;
        }

        /** Residual degrees of freedom, net of one mean per cell and the slope. */
        private double dof() {
            return n - cells - 1;
        }

        /**
         * The t statistic of the slope of w on the instrument, from the within-cell sums {@code szw} and {@code sww};
         * NaN without degrees of freedom, instrument variation or residual.
         */
        private double slopeT(double szw, double sww) {
            if (!(dof() > 0) || !(szz > 0)) {
                return Double.NaN;
            }
            double slope = szw / szz;
            double residual = sww - slope * szw;
            return residual > 0 ? slope / Math.sqrt(residual / dof() / szz) : Double.NaN;
        }
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** Percentile of the finite replicates; null when there are none. */
    static Double quantile(double[] xs, double q) {
        double[] finite = Arrays.stream(xs).filter(Double::isFinite).sorted().toArray();
        if (finite.length == 0) {
            return null;
        }
        double pos = q * (finite.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, finite.length - 1);
        return finite[lo] + (pos - lo) * (finite[hi] - finite[lo]);
    }
}
