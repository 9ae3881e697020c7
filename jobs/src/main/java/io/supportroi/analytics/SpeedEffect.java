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
import static org.apache.spark.sql.functions.coalesce;
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
 * instrumented}: two-stage least squares with the routed agent's typical times as the instruments, within the same
 * channel × week cells: routing does not look at the customer, so the agent moves the ticket's times without moving
 * its customer's own risk. Resolution time has the agent's typical resolution time as its instrument: the effect of
 * a faster agent, per doubling of resolution time. First response has both times endogenous, each with its own
 * instrument (the agent's typical resolution and first-reply times), so it is not credited with what resolution did.
 *
 * <p>The instrument is the agent's mean gap between their log2 time and their cell's mean, over their tickets of
 * other weeks in every channel: a ticket's own noise is not in its instrument, and an agent's instrument is one
 * number within a cell (leaving out only the ticket itself would make it a function of the ticket's own time, a
 * perfect and meaningless first stage when one agent takes a whole cell). The instrument's own sampling noise is not
 * in the bootstrap; pooling an agent's tickets over channels keeps it small. {@code first_stage_f}: resolution, the
 * F of its one instrument; first response, the Sanderson-Windmeijer F (how well the instruments move it apart from
 * resolution). Below {@link #WEAK_F}, or where it cannot be computed, the instrument is flagged {@code weak} and its
 * estimate should not be read.
 *
 * <p>Two guards against agents who move retention by more than their pace. Agents the caller names (those whose
 * customers churn significantly beyond expectation in gold.agent_vs_churn) are left out: with few agents, one who
 * keeps or loses customers by other means, measured a tenth of a doubling off the mean pace, outweighs the speed
 * effect. And the optional pre-ticket risk is partialled out of the instrumented estimate, so that a topic routed to
 * some agents more than others is no agent's pace; its relation to the instrument is also the balance check.
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
    /** Agents whose tickets were left out because they move retention by more than their pace. */
    public static final String AGENTS_LEFT_OUT = "agents_left_out";

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
            .add(UNRELIABLE_INSTRUMENT, DataTypes.BooleanType, true)
            .add(AGENTS_LEFT_OUT, DataTypes.IntegerType, true);

    /** Per metric (resolution, first response): log2 time and its instrument. */
    private static final String[] X = {"x1", "x2"};
    private static final String[] Z = {"z1", "z2"};
    private static final String Y = "y";
    private static final String CELL = "cell";
    private static final String WEEK = "week";
    private static final String BUCKET = "bucket";
    private static final String R = "r";
    private static final String[] METRICS = {RESOLUTION_TIME, FIRST_RESPONSE_TIME};

    /**
     * {@code outcomes}: one row per reactive ticket with a known outcome ({@link TicketOutcomes}), with the ticket's
     * channel, agent, creation time and both times. Tickets without both times, tickets of agents with no ticket in
     * the channel's other weeks, and cells of one ticket, carry no information and are left out.
     */
    public static Dataset<Row> apply(SparkSession spark, Dataset<Row> outcomes, double confidence, long seed) {
        return apply(spark, outcomes, List.of(), confidence, seed);
    }

    /**
     * @param leftOutAgents agents known to move retention by more than their pace (gold.agent_vs_churn's agents whose
     *                      customers churn significantly beyond expectation): an instrument built on them would credit
     *                      speed with it, so their tickets are left out of every estimate
     */
    public static Dataset<Row> apply(SparkSession spark, Dataset<Row> outcomes, List<String> leftOutAgents,
                                     double confidence, long seed) {
        Dataset<Row> kept = leftOutAgents.isEmpty() ? outcomes
                : outcomes.filter(col(Tickets.AGENT_ID).isin(leftOutAgents.toArray()).equalTo(false));
        List<Row> buckets = bucketSums(kept, seed);
        double[][] sums = new double[buckets.size()][Sums.NAMES.size()];
        for (int i = 0; i < buckets.size(); i++) {
            for (int k = 0; k < Sums.NAMES.size(); k++) {
                sums[i][k] = buckets.get(i).<Double>getAs(Sums.NAMES.get(k));
            }
        }
        Sums all = Sums.of(sums, null);
        double[][] naive = new double[METRICS.length][REPLICATES];
        double[][] iv = new double[METRICS.length][REPLICATES];
        SplittableRandom rng = new SplittableRandom(seed);
        int[] draw = new int[sums.length];
        for (int b = 0; b < REPLICATES; b++) {
            Arrays.fill(draw, 0);
            for (int i = 0; i < sums.length; i++) {
                draw[rng.nextInt(sums.length)]++;
            }
            Sums s = Sums.of(sums, draw);
            for (int m = 0; m < METRICS.length; m++) {
                naive[m][b] = s.naive(m);
                iv[m][b] = s.instrumented(m);
            }
        }
        boolean withRisk = List.of(outcomes.columns()).contains(PRE_TICKET_RISK);
        double alpha = (1 - confidence) / 2;
        List<Row> rows = new ArrayList<>();
        for (int m = 0; m < METRICS.length; m++) {
            double f = all.firstStageF(m);
            boolean weak = !(f >= WEAK_F);
            Double balance = withRisk ? finite(all.balanceT(m)) : null;
            boolean unbalanced = balance != null && Math.abs(balance) >= BALANCE_LIMIT;
            rows.add(RowFactory.create(METRICS[m], NAIVE, finite(all.naive(m)), quantile(naive[m], alpha),
                    quantile(naive[m], 1 - alpha), (long) all.get("n"), null, null, null, null, null));
            rows.add(RowFactory.create(METRICS[m], INSTRUMENTED, finite(all.instrumented(m)), quantile(iv[m], alpha),
                    quantile(iv[m], 1 - alpha), (long) all.get("n"), finite(f), weak, balance, weak || unbalanced,
                    leftOutAgents.size()));
        }
        return spark.createDataFrame(rows, SCHEMA);
    }

    /** Within-cell sums per hash group of customers: at most {@link #BUCKETS} rows, whatever the number of tickets. */
    private static List<Row> bucketSums(Dataset<Row> outcomes, long seed) {
        WindowSpec agent = Window.partitionBy(col(Tickets.AGENT_ID));
        WindowSpec agentWeek = Window.partitionBy(col(Tickets.AGENT_ID), col(WEEK));
        WindowSpec cell = Window.partitionBy(col(CELL));
        boolean withRisk = List.of(outcomes.columns()).contains(PRE_TICKET_RISK);
        Column[] hours = {col(Tickets.RESOLUTION_HOURS).cast("double"),
                col(Tickets.FIRST_RESPONSE_SECONDS).cast("double").divide(3600.0)};
        // With a pre-ticket risk, only the tickets the churn model scores: the risk is the estimates' control and
        // the balance check's subject. Without one, every ticket, and a risk of 0 controls for nothing.
        Dataset<Row> t = outcomes
                .withColumn(R, withRisk ? col(PRE_TICKET_RISK).cast("double") : lit(0.0))
                .filter(col(R).isNotNull())
                .filter(col(Tickets.CAMPAIGN).isNull().and(col(Tickets.AGENT_ID).isNotNull())
                        .and(col(TicketOutcomes.RETAINED).isNotNull()))
                .withColumn(X[0], when(hours[0].gt(0), log(2.0, hours[0])))
                .withColumn(X[1], when(hours[1].gt(0), log(2.0, hours[1])))
                .filter(col(X[0]).isNotNull().and(col(X[1]).isNotNull()))
                .withColumn(Y, when(col(TicketOutcomes.RETAINED), 1.0).otherwise(0.0))
                .withColumn(WEEK, date_trunc("week", col(Tickets.CREATED_AT)))
                .withColumn(CELL, org.apache.spark.sql.functions.concat_ws("|", col(Tickets.CHANNEL),
                        col(WEEK).cast("string")))
                .withColumn("agent_n", count(lit(1)).over(agent).minus(count(lit(1)).over(agentWeek)))
                .filter(col("agent_n").gt(0));
        for (int m = 0; m < X.length; m++) {
            // The agent's typical time: their mean gap to their cell's mean over their tickets of other weeks, in
            // every channel (an agent's pace carries across channels, and pooling them keeps the instrument's own
            // sampling noise small); never the ticket's own time, nor its week's.
            // The gap is the time demeaned within its cell, which the regressions use too: dropping cells of one
            // ticket below leaves every other cell's mean as it is.
            t = t.withColumn(X[m], col(X[m]).minus(avg(col(X[m])).over(cell)))
                    .withColumn(Z[m], sum(col(X[m])).over(agent).minus(sum(col(X[m])).over(agentWeek))
                            .divide(col("agent_n")));
        }
        t = t.withColumn("cell_n", count(lit(1)).over(cell)).filter(col("cell_n").gt(1));
        for (String c : new String[] {Y, Z[0], Z[1], R}) {
            t = t.withColumn(c, col(c).minus(avg(col(c)).over(cell)));
        }
        List<Column> aggs = new ArrayList<>();
        for (String name : Sums.NAMES) {
            aggs.add(coalesce(sumOf(name), lit(0.0)).as(name));
        }
        return t.withColumn(BUCKET, pmod(hash(col(Tickets.CUSTOMER_ID), lit(seed)), lit(BUCKETS)))
                .groupBy(BUCKET).agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]))
                // In bucket order: the bootstrap draws buckets by position, so the same tickets give the same
                // intervals whatever order the groups come back in.
                .transform(Bounded.sortedBy(col(BUCKET)))
                .collectAsList();
    }

    /** The Spark expression of one of {@link Sums#NAMES}: a product sum of two demeaned columns, or a count. */
    private static Column sumOf(String name) {
        return switch (name) {
            case "n" -> count(lit(1)).cast("double");
            case "cells" -> sum(lit(1.0).divide(col("cell_n")));
            default -> {
                String[] f = name.split("\\*");
                yield sum(col(f[0]).multiply(col(f[1])));
            }
        };
    }

    /**
     * The within-cell sums over every bucket or a bootstrap draw of them: "a*b" is the sum of a times b; "cells"
     * adds 1 / (tickets in the ticket's cell), so its total counts the cells. {@link #s} gives the sums with the
     * pre-ticket risk partialled out (Frisch-Waugh), {@link #raw} without.
     */
    record Sums(double[] v) {
        static final List<String> NAMES = List.of("n", "cells", "x1*x1", "x2*x2", "x1*x2", "x1*y", "x2*y",
                "z1*x1", "z1*x2", "z2*x1", "z2*x2", "z1*y", "z2*y", "z1*z1", "z2*z2", "z1*z2",
                "r*x1", "r*x2", "r*y", "r*z1", "r*z2", "r*r");

        static Sums of(double[][] buckets, int[] times) {
            double[] t = new double[NAMES.size()];
            for (int i = 0; i < buckets.length; i++) {
                int w = times == null ? 1 : times[i];
                for (int k = 0; k < t.length; k++) {
                    t[k] += w * buckets[i][k];
                }
            }
            t[NAMES.indexOf("cells")] = Math.round(t[NAMES.indexOf("cells")]);
            return new Sums(t);
        }

        double get(String name) {
            return v[NAMES.indexOf(name)];
        }

        /** Sum of products of two of x1, x2, z1, z2, y, r (either order), within cells. */
        private double raw(String a, String b) {
            int i = NAMES.indexOf(a + "*" + b);
            return i >= 0 ? v[i] : v[NAMES.indexOf(b + "*" + a)];
        }

        /**
         * As {@link #raw}, with the pre-ticket risk partialled out of both: what the customer's own known risk
         * explains (hard topics routed to some agents more than others, say) is no agent's pace.
         */
        private double s(String a, String b) {
            double rr = raw(R, R);
            return rr > 0 ? raw(a, b) - raw(R, a) * raw(R, b) / rr : raw(a, b);
        }

        /** One residual degree of freedom fewer with the risk as a control. */
        private double controls() {
            return raw(R, R) > 0 ? 1 : 0;
        }

        /** The within-cell least-squares slope of retained on the metric's log2 time alone: the correlation. */
        double naive(int m) {
            return raw(X[m], Y) / raw(X[m], X[m]);
        }

        /**
         * Resolution time: its own instrument alone. An agent fast at resolving may also reply fast, so this is the
         * effect of a faster agent counted per doubling of resolution time, which is what adding agents buys.
         * First response: both times endogenous, each with its own instrument, so that first response is not
         * credited with what resolution did.
         */
        double instrumented(int m) {
            if (m == 0) {
                return s("z1", Y) / s("z1", "x1");
            }
            double a = s("z1", "x1");
            double b = s("z1", "x2");
            double c = s("z2", "x1");
            double d = s("z2", "x2");
            return (a * s("z2", Y) - c * s("z1", Y)) / (a * d - b * c);
        }

        /**
         * F of metric m's first stage. Resolution: the squared t of its instrument (first stage of one endogenous
         * time). First response: the Sanderson-Windmeijer F, how strongly the instruments move first response
         * beyond what they move resolution by; zero when they cannot tell the two times apart (agents fast or slow
         * at both alike). Zero when the instruments do not vary within cells (one agent per cell); NaN without
         * degrees of freedom.
         */
        double firstStageF(int m) {
            return m == 0 ? singleF() : sandersonWindmeijerF();
        }

        private double singleF() {
            double dof = get("n") - get("cells") - 1 - controls();
            double zz = s("z1", "z1");
            if (!(dof > 0)) {
                return Double.NaN;
            }
            if (!(zz > 0)) {
                return 0.0;
            }
            double slope = s("z1", "x1") / zz;
            double residual = s("x1", "x1") - slope * s("z1", "x1");
            double t = residual > 0 ? slope / Math.sqrt(residual / dof / zz) : Double.NaN;
            return t * t;
        }

        private double sandersonWindmeijerF() {
            int m = 1;
            int o = 0;
            double dof = get("n") - get("cells") - 2 - controls();
            if (!(dof > 0)) {
                return Double.NaN;
            }
            double zz11 = s("z1", "z1");
            double zz22 = s("z2", "z2");
            double zz12 = s("z1", "z2");
            double det = zz11 * zz22 - zz12 * zz12;
            if (!(det > 1e-12 * zz11 * zz22)) {
                return 0.0;
            }
            double[] bm = {s("z1", X[m]), s("z2", X[m])};
            double[] bo = {s("z1", X[o]), s("z2", X[o])};
            double qoo = quad(bo, bo, zz11, zz22, zz12, det);
            if (!(qoo > 0)) {
                return 0.0;
            }
            double delta = quad(bo, bm, zz11, zz22, zz12, det) / qoo;
            double[] e = {bm[0] - delta * bo[0], bm[1] - delta * bo[1]};
            double explained = quad(e, e, zz11, zz22, zz12, det);
            double total = s(X[m], X[m]) - 2 * delta * s(X[m], X[o]) + delta * delta * s(X[o], X[o]);
            double residual = total - explained;
            return residual > 0 ? explained / (residual / dof) : Double.NaN;
        }

        /** {@code u' A^-1 w} for the 2x2 symmetric A = [[a11, a12], [a12, a22]] of determinant det. */
        private static double quad(double[] u, double[] w, double a11, double a22, double a12, double det) {
            return (u[0] * (a22 * w[0] - a12 * w[1]) + u[1] * (-a12 * w[0] + a11 * w[1])) / det;
        }

        /** The t statistic of the pre-ticket risk's slope on metric m's instrument, within cells. */
        double balanceT(int m) {
            double zz = raw(Z[m], Z[m]);
            double zr = raw(Z[m], R);
            double rr = raw(R, R);
            double dof = get("n") - get("cells") - 1;
            if (!(dof > 0) || !(zz > 0)) {
                return Double.NaN;
            }
            double slope = zr / zz;
            double residual = rr - slope * zr;
            return residual > 0 ? slope / Math.sqrt(residual / dof / zz) : Double.NaN;
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
