package io.supportroi.analytics.staffing;

import io.supportroi.analytics.AsOf;
import io.supportroi.config.Settings;
import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;

import static io.supportroi.analytics.staffing.StaffingScenarios.*;
import static io.supportroi.testing.Frames.money;
import static io.supportroi.testing.Frames.row;
import static io.supportroi.testing.Frames.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * One busy hour worked by hand: two tickets arrive at 10:00-11:00 of the one-day window, each half an hour of work,
 * so lambda = 2/h, mu = 2/h, load 1 Erlang. Two agents on duty: P(wait) = 1/3, mean wait (1/3) / (2*2 - 2) = 1/6 h.
 * Three: B(3, 1) = 1/16, C = (3/16) / (3 - 15/16) = 1/11, mean wait (1/11) / (3*2 - 2) = 1/44 h.
 */
@ExtendWith(SparkTest.class)
class StaffingScenariosTest {
    private static final String TICKETS_DDL = "ticket_id STRING, agent_id STRING, channel STRING, created_at TIMESTAMP, "
            + "resolution_hours DOUBLE, agent_replies INT, handle_seconds INT, campaign STRING";
    private static final String OUTCOMES_DDL = "ticket_id STRING, campaign STRING, retained BOOLEAN, "
            + "revenue_h DECIMAL(28,2)";
    private static final Timestamp AS_OF = AsOf.endOfDay(LocalDate.parse("2025-03-31"));
    private static final double BETA = -0.04;
    private static final double COST = 1000.0;

    private static Settings.DecisionSettings settings(double onDutyShare) {
        return new Settings.DecisionSettings(0.95, 8, 2, COST, onDutyShare, 30.0, 1);
    }

    private static Dataset<Row> tickets(SparkSession spark) {
        return Frames.of(spark, TICKETS_DDL,
                // one reply at 30 minutes per reply, and a CSV ticket whose handle time says the same
                row("t1", "a@x", "email", ts("2025-03-31T10:05:00Z"), 2.0, 1, null, null),
                row("t2", "b@x", "chat", ts("2025-03-31T10:40:00Z"), 4.0, 3, 1800, null),
                // before the window: neither load nor headcount
                row("t0", "c@x", "email", ts("2025-03-29T10:05:00Z"), 9.0, 1, null, null));
    }

    private static Dataset<Row> outcomes(SparkSession spark) {
        return Frames.of(spark, OUTCOMES_DDL,
                row("o1", null, true, money("100.00")), row("o2", null, true, money("100.00")),
                row("o3", null, true, money("100.00")), row("o4", null, false, money("20.00")),
                // a campaign's outcome is not a reactive ticket's
                row("o5", "winback", false, money("0.00")));
    }

    @Test
    void aScenarioMovesResolutionByTheErlangCWaitsAndPricesTheRetentionItBuys(SparkSession spark) {
        List<Row> rows = StaffingScenarios.apply(spark, tickets(spark), outcomes(spark),
                new Effect(BETA, true), 0.6, AS_OF, settings(1.0)).orderBy(AGENTS_ADDED).collectAsList();
        assertThat(rows).hasSize(3);
        Row today = rows.get(0);
        Row plusOne = rows.get(1);
        assertThat(today.<Integer>getAs(HEADCOUNT)).isEqualTo(2);
        assertThat(today.<Double>getAs(EXPECTED_MEDIAN_RESOLUTION_HOURS)).isCloseTo(3.0, within(1e-9));
        assertThat(today.<Double>getAs(EXPECTED_RETENTION_RATE)).isCloseTo(0.75, within(1e-9));
        assertThat(today.<Double>getAs(NET_MONTHLY_ROI)).isCloseTo(0.0, within(1e-9));
        assertThat(today.<Double>getAs(PEAK_UTILISATION)).isCloseTo(0.5, within(1e-9));

        double delta = 1.0 / 44 - 1.0 / 6;
        assertThat(plusOne.<Double>getAs(EXPECTED_MEDIAN_RESOLUTION_HOURS)).isCloseTo(3.0 + delta, within(1e-9));
        assertThat(plusOne.<Double>getAs(MEDIAN_RESOLUTION_CHANGE)).isCloseTo(delta / 3.0, within(1e-9));
        double dlog2 = (log2((2.0 + delta) / 2.0) + log2((4.0 + delta) / 4.0)) / 2;
        assertThat(plusOne.<Double>getAs(EXPECTED_RETENTION_RATE)).isCloseTo(0.75 + BETA * dlog2, within(1e-9));
        double extraRetained = BETA * dlog2 * 2 * DAYS_PER_MONTH;
        assertThat(plusOne.<Double>getAs(EXTRA_RETAINED_CUSTOMERS_PER_MONTH)).isCloseTo(extraRetained, within(1e-9))
                .isPositive();
        // A kept customer: (100 - 20) over the horizon, at a 60% margin.
        assertThat(plusOne.<Double>getAs(EXTRA_GROSS_PROFIT_PER_MONTH)).isCloseTo(extraRetained * 48, within(1e-9));
        assertThat(plusOne.<Double>getAs(ADDED_MONTHLY_COST)).isEqualTo(COST);
        assertThat(plusOne.<Double>getAs(NET_MONTHLY_ROI)).isCloseTo(extraRetained * 48 - COST, within(1e-9));
        assertThat(plusOne.<Boolean>getAs(EFFECT_RELIABLE)).isTrue();
        assertThat(rows).allSatisfy(r -> assertThat(r.<Double>getAs(GROSS_PROFIT_IF_10PCT_FASTER))
                .isCloseTo(BETA * log2(0.9) * 2 * DAYS_PER_MONTH * 48, within(1e-9)));
        // More agents, shorter waits, never longer.
        assertThat(rows.get(2).<Double>getAs(EXPECTED_MEDIAN_RESOLUTION_HOURS))
                .isLessThan(plusOne.<Double>getAs(EXPECTED_MEDIAN_RESOLUTION_HOURS));
    }

    @Test
    void aTeamTheModelCannotSettleHasNoModelledTimesAndAnUnknownEffectNoMoney(SparkSession spark) {
        // Half of two agents on duty: one agent for a load of one Erlang never catches up.
        List<Row> rows = StaffingScenarios.apply(spark, tickets(spark), outcomes(spark),
                new Effect(null, false), null, AS_OF, settings(0.5)).orderBy(AGENTS_ADDED).collectAsList();
        assertThat(rows.get(0).<Object>getAs(EXPECTED_MEDIAN_RESOLUTION_HOURS)).isNull();
        assertThat(rows.get(0).<Double>getAs(PEAK_UTILISATION)).isCloseTo(1.0, within(1e-9));
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.<Object>getAs(NET_MONTHLY_ROI)).isNull();
            assertThat(r.<Boolean>getAs(EFFECT_RELIABLE)).isFalse();
        });
        assertThat(rows.get(2).<Double>getAs(ADDED_MONTHLY_COST)).isEqualTo(2 * COST);
    }

    @Test
    void aFractionOfAnAgentOnDutyWaitsBetweenTheWholeNumbers() {
        double two = StaffingScenarios.meanWait(2, 2, 2.0);
        double three = StaffingScenarios.meanWait(2, 2, 3.0);
        assertThat(two).isCloseTo(1.0 / 6, within(1e-12));
        assertThat(three).isCloseTo(1.0 / 44, within(1e-12));
        assertThat(StaffingScenarios.meanWait(2, 2, 2.25)).isCloseTo(two + 0.25 * (three - two), within(1e-12));
        assertThat(StaffingScenarios.meanWait(2, 2, 1.5)).isInfinite();
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
