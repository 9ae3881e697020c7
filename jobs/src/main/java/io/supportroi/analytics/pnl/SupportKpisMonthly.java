package io.supportroi.analytics.pnl;

import io.supportroi.analytics.Bounded;
import io.supportroi.config.Settings;
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

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

/**
 * {@code gold.support_kpis_monthly}: the figures a helpdesk shows its users, per month of ticket creation, with the
 * cost per ticket from the P&L and the team's targets (SPEC §5). Percentiles are exact (Spark {@code percentile},
 * linear interpolation between ranks), so a re-run or another engine gives the same figures.
 */
public final class SupportKpisMonthly {
    private SupportKpisMonthly() {}

    public static final TableRef TABLE = TableRef.gold("support_kpis_monthly");

    public static final String MONTH = Months.MONTH;
    public static final String MONTH_START = Months.MONTH_START;
    public static final String TICKETS = "tickets";
    public static final String COST_PER_TICKET = "cost_per_ticket";
    public static final String MEDIAN_FIRST_RESPONSE_SECONDS = "median_first_response_seconds";
    public static final String P90_FIRST_RESPONSE_SECONDS = "p90_first_response_seconds";
    public static final String MEDIAN_RESOLUTION_HOURS = "median_resolution_hours";
    public static final String MEDIAN_HANDLE_SECONDS = "median_handle_seconds";
    public static final String SOLVED_TICKETS = "solved_tickets";
    public static final String ONE_TOUCH_RATE = "one_touch_rate";
    public static final String REOPEN_RATE = "reopen_rate";
    /** Tickets whose resolution window has ended by as-of: the denominator of {@code resolution_rate}. */
    public static final String RESOLUTION_WINDOW_ENDED = "resolution_window_ended";
    public static final String RESOLUTION_RATE = "resolution_rate";
    public static final String RATED_TICKETS = "rated_tickets";
    public static final String CSAT = "csat";
    /** Names of the targets the month met, from {@link #TARGET_NAMES}, in that order. */
    public static final String TARGETS_MET = "targets_met";
    /** One flag per target: true met, false missed, null when the month has no figure to judge. */
    public static final String FIRST_RESPONSE_TARGET_MET = "first_response_target_met";
    public static final String CSAT_TARGET_MET = "csat_target_met";
    public static final String RESOLUTION_RATE_TARGET_MET = "resolution_rate_target_met";
    public static final String ALL_TARGETS_MET = "all_targets_met";

    public static final String TARGET_FIRST_RESPONSE = "first_response";
    public static final String TARGET_CSAT = "csat";
    public static final String TARGET_RESOLUTION_RATE = "resolution_rate";
    public static final List<String> TARGET_NAMES = List.of(TARGET_FIRST_RESPONSE, TARGET_CSAT, TARGET_RESOLUTION_RATE);

    public static final List<String> COLUMNS = List.of(MONTH, MONTH_START, TICKETS, COST_PER_TICKET,
            MEDIAN_FIRST_RESPONSE_SECONDS, P90_FIRST_RESPONSE_SECONDS, MEDIAN_RESOLUTION_HOURS, MEDIAN_HANDLE_SECONDS,
            SOLVED_TICKETS, ONE_TOUCH_RATE, REOPEN_RATE, RESOLUTION_WINDOW_ENDED, RESOLUTION_RATE, RATED_TICKETS, CSAT,
            TARGETS_MET, FIRST_RESPONSE_TARGET_MET, CSAT_TARGET_MET, RESOLUTION_RATE_TARGET_MET, ALL_TARGETS_MET);

    /**
     * @param tickets silver tickets
     * @param pnl     {@link SupportPnlMonthly} output (month_start, staff_cost, platform_cost): its months are the
     *                rows, so a month without tickets shows 0 tickets and empty figures
     */
    public static Dataset<Row> apply(Dataset<Row> tickets, Dataset<Row> pnl, Timestamp asOfEnd,
                                     Settings.KpiSettings kpi) {
        Column created = col(Tickets.CREATED_AT);
        Column solved = col(Tickets.SOLVED_AT).isNotNull().or(col(Tickets.RESOLUTION_HOURS).isNotNull());
        Column hoursToSolve = coalesce(col(Tickets.RESOLUTION_HOURS),
                unix_micros(col(Tickets.SOLVED_AT)).minus(unix_micros(created)).cast("double").divide(3.6e9));
        Column windowEnded = created.plus(lit(Duration.ofDays(kpi.resolutionWindowDays()))).leq(lit(asOfEnd));
        Column inTime = solved.and(hoursToSolve.leq(kpi.resolutionWindowDays() * 24.0));
        Column replies = col(Tickets.AGENT_REPLIES);
        Column reopens = col(Tickets.REOPENS);
        Dataset<Row> perMonth = tickets.filter(created.leq(lit(asOfEnd)))
                .groupBy(Months.start(created).as(MONTH_START))
                .agg(count(lit(1)).as(TICKETS),
                        percentile(col(Tickets.FIRST_RESPONSE_SECONDS), lit(0.5)).as(MEDIAN_FIRST_RESPONSE_SECONDS),
                        percentile(col(Tickets.FIRST_RESPONSE_SECONDS), lit(0.9)).as(P90_FIRST_RESPONSE_SECONDS),
                        percentile(col(Tickets.RESOLUTION_HOURS), lit(0.5)).as(MEDIAN_RESOLUTION_HOURS),
                        percentile(col(Tickets.HANDLE_SECONDS), lit(0.5)).as(MEDIAN_HANDLE_SECONDS),
                        flag(solved).as(SOLVED_TICKETS),
                        // A solved ticket whose helpdesk did not report the figure cannot be judged either way.
                        ratio(solved.and(replies.equalTo(1)), solved.and(replies.isNotNull())).as(ONE_TOUCH_RATE),
                        ratio(solved.and(reopens.geq(1)), solved.and(reopens.isNotNull())).as(REOPEN_RATE),
                        flag(windowEnded).as(RESOLUTION_WINDOW_ENDED),
                        ratio(windowEnded.and(inTime), windowEnded).as(RESOLUTION_RATE),
                        flag(col(Tickets.CSAT).isNotNull()).as(RATED_TICKETS),
                        avg(col(Tickets.CSAT).cast("double")).as(CSAT));
        Dataset<Row> costs = pnl.select(col(SupportPnlMonthly.MONTH_START).as(MONTH_START),
                col(SupportPnlMonthly.STAFF_COST).plus(col(SupportPnlMonthly.PLATFORM_COST)).as("_operating_cost"));
        Column firstResponseMet = col(MEDIAN_FIRST_RESPONSE_SECONDS).leq(kpi.maxMedianFirstResponseSeconds());
        Column csatMet = col(CSAT).geq(kpi.minCsat());
        Column resolutionMet = col(RESOLUTION_RATE).geq(kpi.minResolutionRate());
        Column n = col(TICKETS);
        return costs.join(perMonth, Seqs.of(MONTH_START), "full_outer")
                .withColumn(MONTH, Months.label(col(MONTH_START)))
                .withColumn(TICKETS, coalesce(n, lit(0L)))
                .withColumn(SOLVED_TICKETS, coalesce(col(SOLVED_TICKETS), lit(0L)))
                .withColumn(RESOLUTION_WINDOW_ENDED, coalesce(col(RESOLUTION_WINDOW_ENDED), lit(0L)))
                .withColumn(RATED_TICKETS, coalesce(col(RATED_TICKETS), lit(0L)))
                .withColumn(COST_PER_TICKET, when(n.gt(0),
                        round(col("_operating_cost").divide(n), 2).cast(Months.MONEY)))
                .withColumn(FIRST_RESPONSE_TARGET_MET, firstResponseMet)
                .withColumn(CSAT_TARGET_MET, csatMet)
                .withColumn(RESOLUTION_RATE_TARGET_MET, resolutionMet)
                .withColumn(TARGETS_MET, filter(array(
                        when(col(FIRST_RESPONSE_TARGET_MET), lit(TARGET_FIRST_RESPONSE)),
                        when(col(CSAT_TARGET_MET), lit(TARGET_CSAT)),
                        when(col(RESOLUTION_RATE_TARGET_MET), lit(TARGET_RESOLUTION_RATE))), Column::isNotNull))
                .withColumn(ALL_TARGETS_MET, size(col(TARGETS_MET)).equalTo(TARGET_NAMES.size()))
                .select(COLUMNS.stream().map(functions::col).toArray(Column[]::new))
                .transform(Bounded.sortedBy(col(MONTH_START)));
    }

    private static Column flag(Column condition) {
        return sum(when(condition, 1L).otherwise(0L));
    }

    /** Share of the rows matching {@code denominator} that also match {@code numerator}; null when none do. */
    private static Column ratio(Column numerator, Column denominator) {
        Column d = sum(when(denominator, 1L).otherwise(0L));
        return when(d.gt(0), sum(when(numerator, 1L).otherwise(0L)).cast("double").divide(d.cast("double")));
    }
}
