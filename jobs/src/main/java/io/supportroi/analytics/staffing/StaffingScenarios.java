package io.supportroi.analytics.staffing;

import io.supportroi.analytics.Bounded;
import io.supportroi.analytics.TicketOutcomes;
import io.supportroi.config.Settings;
import io.supportroi.model.Tickets;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.sql.types.StructType;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.median;
import static org.apache.spark.sql.functions.when;

/**
 * {@code gold.staffing_scenarios} (SPEC §8): what 0, 1, ..., N more agents would do to resolution time, retention
 * and money. Over the last {@code window-days}:
 * <ul>
 *   <li>arrivals per channel and hour of day (UTC), and each channel's handling time per ticket (the source's
 *       {@code handle_seconds}, else agent replies times {@code minutes-per-reply}), give each hour's offered load;</li>
 *   <li>the team (distinct agents on the window's tickets, plus the scenario's) times {@code on-duty-share} is on duty
 *       every hour; Erlang C ({@link ErlangC}) gives each hour's mean wait for an agent, interpolated linearly between
 *       whole numbers of agents on duty;</li>
 *   <li>a ticket's resolution time in a scenario is its observed time minus its hour's modelled wait today plus the
 *       scenario's (at least a minute); the median is over the window's solved tickets;</li>
 *   <li>retention moves by the instrumented effect of {@code gold.speed_effect} times the change in log2 resolution
 *       time, averaged over the window's reactive tickets, from the observed retention of reactive tickets;</li>
 *   <li>a customer kept is worth the observed difference in revenue over the retention horizon between retained and
 *       lost customers after a ticket, times the support P&L's gross margin; in steady state, each month's extra
 *       retained customers bring that much gross profit per month.</li>
 * </ul>
 * {@code net_monthly_roi} is the extra gross profit minus the added agents' cost, in the shop's currency. A queue the
 * model cannot settle (load at or above the agents on duty) has no modelled times; scenarios built on an estimate
 * the speed table flags unreliable say so in {@code effect_reliable}.
 */
public final class StaffingScenarios {
    private StaffingScenarios() {}

    public static final TableRef TABLE = TableRef.gold("staffing_scenarios");

    public static final String AGENTS_ADDED = "agents_added";
    public static final String HEADCOUNT = "headcount";
    public static final String AGENTS_ON_DUTY = "agents_on_duty";
    public static final String ADDED_MONTHLY_COST = "added_monthly_cost";
    public static final String EXPECTED_MEDIAN_RESOLUTION_HOURS = "expected_median_resolution_hours";
    public static final String MEDIAN_RESOLUTION_CHANGE = "median_resolution_change";
    public static final String EXPECTED_RETENTION_RATE = "expected_retention_rate";
    public static final String EXTRA_RETAINED_CUSTOMERS_PER_MONTH = "extra_retained_customers_per_month";
    public static final String EXTRA_GROSS_PROFIT_PER_MONTH = "extra_gross_profit_per_month";
    public static final String NET_MONTHLY_ROI = "net_monthly_roi";
    public static final String PEAK_UTILISATION = "peak_utilisation";
    /**
     * The same on every row: the monthly gross profit if every ticket were resolved 10% faster, however that is got.
     * Against one agent's cost it answers "would a 10% faster resolution justify another agent?".
     */
    public static final String GROSS_PROFIT_IF_10PCT_FASTER = "gross_profit_per_month_if_10pct_faster";
    public static final String SPEED_EFFECT_PER_DOUBLING = "speed_effect_per_doubling";
    public static final String EFFECT_RELIABLE = "effect_reliable";

    public static final StructType SCHEMA = new StructType()
            .add(AGENTS_ADDED, DataTypes.IntegerType, false)
            .add(HEADCOUNT, DataTypes.IntegerType, false)
            .add(AGENTS_ON_DUTY, DataTypes.DoubleType, false)
            .add(ADDED_MONTHLY_COST, DataTypes.DoubleType, false)
            .add(EXPECTED_MEDIAN_RESOLUTION_HOURS, DataTypes.DoubleType, true)
            .add(MEDIAN_RESOLUTION_CHANGE, DataTypes.DoubleType, true)
            .add(EXPECTED_RETENTION_RATE, DataTypes.DoubleType, true)
            .add(EXTRA_RETAINED_CUSTOMERS_PER_MONTH, DataTypes.DoubleType, true)
            .add(EXTRA_GROSS_PROFIT_PER_MONTH, DataTypes.DoubleType, true)
            .add(NET_MONTHLY_ROI, DataTypes.DoubleType, true)
            .add(PEAK_UTILISATION, DataTypes.DoubleType, true)
            .add(GROSS_PROFIT_IF_10PCT_FASTER, DataTypes.DoubleType, true)
            .add(SPEED_EFFECT_PER_DOUBLING, DataTypes.DoubleType, true)
            .add(EFFECT_RELIABLE, DataTypes.BooleanType, false);

    /** Average days in a month (365.25 / 12): the window's rates become monthly ones. */
    static final double DAYS_PER_MONTH = 30.4375;
    private static final double MIN_RESOLUTION_HOURS = 1.0 / 60;
    private static final int HOURS = 24;

    /** The instrumented effect of resolution time on retention, as {@code gold.speed_effect} has it. */
    public record Effect(Double perDoubling, boolean reliable) {}

    /**
     * @param tickets     silver tickets
     * @param outcomes    per-ticket outcomes ({@link TicketOutcomes}) whose horizon has ended
     * @param grossMargin gross profit per unit of revenue; null when unknown (no money columns then)
     */
    public static Dataset<Row> apply(SparkSession spark, Dataset<Row> tickets, Dataset<Row> outcomes, Effect effect,
                                     Double grossMargin, Timestamp asOfEnd, Settings.DecisionSettings settings) {
        Timestamp from = Timestamp.from(asOfEnd.toInstant().minus(Duration.ofDays(settings.windowDays())));
        // Read three times (rates, headcount, modelled times): held once.
        Dataset<Row> window = tickets.filter(col(Tickets.CREATED_AT).gt(lit(from))
                .and(col(Tickets.CREATED_AT).leq(lit(asOfEnd)))).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            return scenarios(spark, window, outcomes, effect, grossMargin, settings);
        } finally {
            window.unpersist();
        }
    }

    private static Dataset<Row> scenarios(SparkSession spark, Dataset<Row> window, Dataset<Row> outcomes,
                                          Effect effect, Double grossMargin, Settings.DecisionSettings settings) {
        Column handleHours = coalesce(col(Tickets.HANDLE_SECONDS).cast("double").divide(3600.0),
                greatest(coalesce(col(Tickets.AGENT_REPLIES).cast("double"), lit(1.0)), lit(1.0))
                        .multiply(settings.minutesPerReply() / 60.0));
        double[] load = new double[HOURS];
        double[] arrivals = new double[HOURS];
        // Bounded: channels x 24 rows, summed in a fixed order so the doubles come out the same every run.
        for (Row r : window.groupBy(col(Tickets.CHANNEL), hour(col(Tickets.CREATED_AT)).as("h"))
                .agg(count(lit(1)).as("n"), avg(handleHours).as("handle"))
                .transform(Bounded.sortedBy(col(Tickets.CHANNEL), col("h"))).collectAsList()) {
            int h = r.getInt(1);
            double perHour = r.getLong(2) / (double) settings.windowDays();
            arrivals[h] += perHour;
            load[h] += perHour * r.getDouble(3);
        }
        int headcount = (int) window.agg(count_distinct(col(Tickets.AGENT_ID))).head().getLong(0);

        Row base = outcomes.filter(col(Tickets.CAMPAIGN).isNull())
                .agg(avg(when(col(TicketOutcomes.RETAINED), 1.0).otherwise(0.0)).as("retention"),
                        avg(when(col(TicketOutcomes.RETAINED), col(TicketOutcomes.REVENUE_H).cast("double")))
                                .as("kept"),
                        avg(when(col(TicketOutcomes.RETAINED).equalTo(false),
                                col(TicketOutcomes.REVENUE_H).cast("double"))).as("lost"))
                .head();
        Double retention = base.isNullAt(0) ? null : base.getDouble(0);
        double keptValue = base.isNullAt(1) ? 0.0 : base.getDouble(1);
        double lostValue = base.isNullAt(2) ? 0.0 : base.getDouble(2);
        Double valuePerRetained = grossMargin == null ? null : (keptValue - lostValue) * grossMargin;

        int scenarios = settings.maxAgentsAdded() + 1;
        double[][] waits = new double[scenarios][];
        double[] peak = new double[scenarios];
        for (int k = 0; k < scenarios; k++) {
            double onDuty = (headcount + k) * settings.onDutyShare();
            waits[k] = new double[HOURS];
            for (int h = 0; h < HOURS; h++) {
                waits[k][h] = load[h] > 0 ? meanWait(arrivals[h], arrivals[h] / load[h], onDuty) : 0.0;
                peak[k] = Math.max(peak[k], onDuty > 0 ? load[h] / onDuty : Double.POSITIVE_INFINITY);
            }
        }
        boolean todayStable = allFinite(waits[0]);
        Column resolution = col(Tickets.RESOLUTION_HOURS);
        List<Column> aggs = new ArrayList<>();
        aggs.add(count(when(col(Tickets.CAMPAIGN).isNull(), lit(1))).as("reactive"));
        for (int k = 0; k < scenarios; k++) {
            if (!todayStable || !allFinite(waits[k])) {
                continue;
            }
            Column delta = element_at(array(deltas(waits[k], waits[0])), hour(col(Tickets.CREATED_AT)).plus(1));
            Column modelled = greatest(resolution.plus(delta), lit(MIN_RESOLUTION_HOURS));
            aggs.add(median(modelled).as("median_" + k));
            aggs.add(avg(when(col(Tickets.CAMPAIGN).isNull(), log(2.0, modelled.divide(resolution))))
                    .as("dlog2_" + k));
        }
        Row measured = window.filter(resolution.isNotNull().and(resolution.gt(0)))
                .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0])).head();
        double reactivePerMonth = measured.getLong(0) * DAYS_PER_MONTH / settings.windowDays();
        Double beta = effect.perDoubling();
        Double tenPercentFaster = beta == null || valuePerRetained == null ? null
                : beta * log2(0.9) * reactivePerMonth * valuePerRetained;

        List<Row> rows = new ArrayList<>();
        Double medianToday = value(measured, "median_0");
        for (int k = 0; k < scenarios; k++) {
            double cost = k * settings.agentMonthlyCost();
            Double medianK = value(measured, "median_" + k);
            Double dlog2 = value(measured, "dlog2_" + k);
            Double change = medianK == null || medianToday == null || medianToday == 0 ? null
                    : medianK / medianToday - 1;
            Double retentionK = retention == null || beta == null || dlog2 == null ? null : retention + beta * dlog2;
            Double extraRetained = beta == null || dlog2 == null ? null : beta * dlog2 * reactivePerMonth;
            Double extraProfit = extraRetained == null || valuePerRetained == null ? null
                    : extraRetained * valuePerRetained;
            Double net = extraProfit == null ? null : extraProfit - cost;
            rows.add(RowFactory.create(k, headcount + k, (headcount + k) * settings.onDutyShare(), cost, medianK,
                    change, retentionK, extraRetained, extraProfit, net,
                    Double.isFinite(peak[k]) ? peak[k] : null, tenPercentFaster, beta, effect.reliable()));
        }
        return spark.createDataFrame(rows, SCHEMA);
    }

    /**
     * Mean wait in hours with {@code onDuty} agents (a real number: linear between the whole numbers around it);
     * infinite when the queue does not settle.
     */
    static double meanWait(double lambda, double mu, double onDuty) {
        int low = (int) Math.floor(onDuty);
        double wLow = low >= 1 ? wait(lambda, mu, low) : Double.POSITIVE_INFINITY;
        double wHigh = wait(lambda, mu, low + 1);
        double share = onDuty - low;
        if (share == 0) {
            return wLow;
        }
        return Double.isInfinite(wLow) ? (share == 1 ? wHigh : Double.POSITIVE_INFINITY)
                : wLow + share * (wHigh - wLow);
    }

    private static double wait(double lambda, double mu, int agents) {
        ErlangC q = new ErlangC(lambda, mu, agents);
        return q.stable() ? q.meanWait() : Double.POSITIVE_INFINITY;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    private static Column[] deltas(double[] scenario, double[] today) {
        Column[] out = new Column[HOURS];
        for (int h = 0; h < HOURS; h++) {
            out[h] = lit(scenario[h] - today[h]);
        }
        return out;
    }

    private static boolean allFinite(double[] xs) {
        for (double x : xs) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    private static Double value(Row r, String field) {
        if (!List.of(r.schema().fieldNames()).contains(field) || r.isNullAt(r.fieldIndex(field))) {
            return null;
        }
        return r.getDouble(r.fieldIndex(field));
    }
}
