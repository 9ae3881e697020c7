package io.supportroi.analytics.pnl;

import io.supportroi.analytics.AsOf;
import io.supportroi.config.Settings;
import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.supportroi.analytics.pnl.SupportKpisMonthly.*;
import static io.supportroi.testing.Frames.money;
import static io.supportroi.testing.Frames.row;
import static io.supportroi.testing.Frames.ts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hand-computed KPIs (as-of 2025-02-10, default targets: median first response <= 120 s, CSAT >= 0.85, resolution
 * rate >= 0.90 within 7 days). Percentiles interpolate linearly between ranks: p at rank p x (n - 1).
 */
@ExtendWith(SparkTest.class)
class SupportKpisMonthlyTest {
    private static final String TICKETS_DDL = "ticket_id STRING, created_at TIMESTAMP, solved_at TIMESTAMP, "
            + "first_response_seconds DOUBLE, resolution_hours DOUBLE, agent_replies INT, reopens INT, csat INT, "
            + "handle_seconds DOUBLE";
    private static Map<String, Row> months;

    @BeforeAll
    static void compute(SparkSession spark) {
        Dataset<Row> tickets = Frames.of(spark, TICKETS_DDL,
                row("t1", ts("2025-01-02T00:00:00Z"), ts("2025-01-02T02:00:00Z"), 60.0, 2.0, 1, 0, 1, 300.0),
                row("t2", ts("2025-01-03T00:00:00Z"), ts("2025-01-04T06:00:00Z"), 100.0, 30.0, 2, 1, 1, 600.0),
                // solved after 200 h: outside the 7-day window
                row("t3", ts("2025-01-05T00:00:00Z"), ts("2025-01-13T08:00:00Z"), 200.0, 200.0, 1, 0, 0, null),
                // still open
                row("t4", ts("2025-01-06T00:00:00Z"), null, 80.0, null, 0, 0, null, 120.0),
                // closed without an agent reply
                row("t5", ts("2025-01-10T00:00:00Z"), ts("2025-01-10T01:00:00Z"), null, 1.0, 0, 0, null, null),
                row("f1", ts("2025-02-01T00:00:00Z"), ts("2025-02-01T05:00:00Z"), 30.0, 5.0, 1, 0, 1, null),
                // solved per solved_at (20 h), with no resolution figure from the helpdesk
                row("f2", ts("2025-02-02T00:00:00Z"), ts("2025-02-02T20:00:00Z"), 50.0, null, 1, 0, 1, null),
                // its 7-day window ends 02-12, after as-of: not in the resolution rate
                row("f3", ts("2025-02-05T00:00:00Z"), ts("2025-02-05T02:00:00Z"), 40.0, 2.0, 1, 0, null, null),
                // after as-of
                row("f4", ts("2025-02-12T00:00:00Z"), null, 1000.0, null, 0, 0, 0, null));
        Dataset<Row> pnl = Frames.of(spark, "month_start DATE, staff_cost DECIMAL(18,2), platform_cost DECIMAL(18,2)",
                row(Date.valueOf("2024-12-01"), money("900.00"), money("100.00")),
                row(Date.valueOf("2025-01-01"), money("900.00"), money("100.00")),
                row(Date.valueOf("2025-02-01"), money("900.00"), money("100.00")));
        months = new HashMap<>();
        for (Row r : SupportKpisMonthly.apply(tickets, pnl, AsOf.endOfDay(LocalDate.parse("2025-02-10")),
                Settings.defaults().kpi()).collectAsList()) {
            months.put(r.getAs(MONTH), r);
        }
    }

    @Test
    void january() {
        Row jan = months.get("2025-01");
        assertThat(jan.<Long>getAs(TICKETS)).isEqualTo(5L);
        // (900 + 100) / 5
        assertThat(jan.<BigDecimal>getAs(COST_PER_TICKET)).isEqualTo(new BigDecimal("200.00"));
        // first responses 60, 80, 100, 200: median (80 + 100) / 2; p90 at rank 2.7: 100 + 0.7 x 100
        assertThat(jan.<Double>getAs(MEDIAN_FIRST_RESPONSE_SECONDS)).isEqualTo(90.0);
        assertThat(jan.<Double>getAs(P90_FIRST_RESPONSE_SECONDS)).isEqualTo(170.0, org.assertj.core.api.Assertions.within(1e-9));
        // resolutions 1, 2, 30, 200
        assertThat(jan.<Double>getAs(MEDIAN_RESOLUTION_HOURS)).isEqualTo(16.0);
        // handle 120, 300, 600
        assertThat(jan.<Double>getAs(MEDIAN_HANDLE_SECONDS)).isEqualTo(300.0);
        // solved t1, t2, t3, t5: one reply t1, t3; reopened t2
        assertThat(jan.<Long>getAs(SOLVED_TICKETS)).isEqualTo(4L);
        assertThat(jan.<Double>getAs(ONE_TOUCH_RATE)).isEqualTo(0.5);
        assertThat(jan.<Double>getAs(REOPEN_RATE)).isEqualTo(0.25);
        // every window ended; within 7 days: t1, t2, t5 (t3 too slow, t4 open)
        assertThat(jan.<Long>getAs(RESOLUTION_WINDOW_ENDED)).isEqualTo(5L);
        assertThat(jan.<Double>getAs(RESOLUTION_RATE)).isEqualTo(0.6);
        // rated t1, t2 (satisfied), t3 (not)
        assertThat(jan.<Long>getAs(RATED_TICKETS)).isEqualTo(3L);
        assertThat(jan.<Double>getAs(CSAT)).isEqualTo(2.0 / 3);
        assertThat(jan.getList(jan.fieldIndex(TARGETS_MET))).containsExactly(TARGET_FIRST_RESPONSE);
        assertThat(jan.<Boolean>getAs(FIRST_RESPONSE_TARGET_MET)).isTrue();
        assertThat(jan.<Boolean>getAs(CSAT_TARGET_MET)).isFalse();
        assertThat(jan.<Boolean>getAs(RESOLUTION_RATE_TARGET_MET)).isFalse();
        assertThat(jan.<Boolean>getAs(ALL_TARGETS_MET)).isFalse();
    }

    @Test
    void februaryUpToAsOfMeetsEveryTarget() {
        Row feb = months.get("2025-02");
        // f1, f2, f3 (f4 is after as-of)
        assertThat(feb.<Long>getAs(TICKETS)).isEqualTo(3L);
        // 1000 / 3, to the cent
        assertThat(feb.<BigDecimal>getAs(COST_PER_TICKET)).isEqualTo(new BigDecimal("333.33"));
        // 30, 40, 50: median 40; p90 at rank 1.8: 40 + 0.8 x 10
        assertThat(feb.<Double>getAs(MEDIAN_FIRST_RESPONSE_SECONDS)).isEqualTo(40.0);
        assertThat(feb.<Double>getAs(P90_FIRST_RESPONSE_SECONDS)).isEqualTo(48.0, org.assertj.core.api.Assertions.within(1e-9));
        // resolution figures 2 and 5 (f2 has none)
        assertThat(feb.<Double>getAs(MEDIAN_RESOLUTION_HOURS)).isEqualTo(3.5);
        assertThat(feb.isNullAt(feb.fieldIndex(MEDIAN_HANDLE_SECONDS))).isTrue();
        assertThat(feb.<Long>getAs(SOLVED_TICKETS)).isEqualTo(3L);
        assertThat(feb.<Double>getAs(ONE_TOUCH_RATE)).isEqualTo(1.0);
        assertThat(feb.<Double>getAs(REOPEN_RATE)).isEqualTo(0.0);
        // f1 (5 h) and f2 (20 h by solved_at); f3's window is not over
        assertThat(feb.<Long>getAs(RESOLUTION_WINDOW_ENDED)).isEqualTo(2L);
        assertThat(feb.<Double>getAs(RESOLUTION_RATE)).isEqualTo(1.0);
        // f3 unrated: not in the denominator
        assertThat(feb.<Long>getAs(RATED_TICKETS)).isEqualTo(2L);
        assertThat(feb.<Double>getAs(CSAT)).isEqualTo(1.0);
        assertThat(feb.getList(feb.fieldIndex(TARGETS_MET)))
                .containsExactly(TARGET_FIRST_RESPONSE, TARGET_CSAT, TARGET_RESOLUTION_RATE);
        assertThat(feb.<Boolean>getAs(ALL_TARGETS_MET)).isTrue();
    }

    @Test
    void aMonthWithoutTicketsHasNoFiguresAndMeetsNoTarget() {
        Row dec = months.get("2024-12");
        assertThat(dec.<Long>getAs(TICKETS)).isZero();
        assertThat(dec.isNullAt(dec.fieldIndex(COST_PER_TICKET))).isTrue();
        assertThat(dec.isNullAt(dec.fieldIndex(MEDIAN_FIRST_RESPONSE_SECONDS))).isTrue();
        assertThat(dec.isNullAt(dec.fieldIndex(CSAT_TARGET_MET))).isTrue();
        assertThat(dec.getList(dec.fieldIndex(TARGETS_MET))).isEmpty();
        assertThat(dec.<Boolean>getAs(ALL_TARGETS_MET)).isFalse();
        assertThat(months.keySet()).containsExactlyInAnyOrder("2024-12", "2025-01", "2025-02");
    }
}
