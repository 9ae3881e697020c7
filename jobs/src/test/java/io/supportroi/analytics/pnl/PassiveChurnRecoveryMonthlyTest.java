package io.supportroi.analytics.pnl;

import io.supportroi.analytics.AsOf;
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
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.supportroi.analytics.pnl.PassiveChurnRecoveryMonthly.*;
import static io.supportroi.testing.Frames.money;
import static io.supportroi.testing.Frames.row;
import static io.supportroi.testing.Frames.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Hand-computed failed renewals (as-of 2025-03-31; dunning 12 days; support's window 14 days after a win-back
 * ticket). Dunning of a renewal first failing 01-15 ends 01-27 00:00.
 */
@ExtendWith(SparkTest.class)
class PassiveChurnRecoveryMonthlyTest {
    private static final String ATTEMPTS_DDL = "invoice_id STRING, customer_id STRING, attempted_at TIMESTAMP, "
            + "amount DECIMAL(18,2), outcome STRING, first_failed_at TIMESTAMP, paid_at TIMESTAMP";
    private static Map<String, Row> months;

    /** A failed first attempt, then (when paidAt is not null) a paid one; first_failed_at/paid_at as silver has them. */
    private static void invoice(List<Object[]> rows, String id, String customer, String failedAt, String paidAt,
                                String amount) {
        Timestamp failed = ts(failedAt);
        Timestamp paid = paidAt == null ? null : ts(paidAt);
        rows.add(row(id, customer, failed, money(amount), "failed", failed, paid));
        if (paid != null) {
            rows.add(row(id, customer, paid, money(amount), "paid", failed, paid));
        }
    }

    @BeforeAll
    static void compute(SparkSession spark) {
        List<Object[]> rows = new ArrayList<>();
        // January
        invoice(rows, "i1", "C1", "2025-01-15T00:00:00Z", "2025-01-18T00:00:00Z", "30.00"); // dunning
        invoice(rows, "i6", "C6", "2025-01-16T00:00:00Z", "2025-01-28T00:00:00Z", "30.00"); // dunning, at its end
        invoice(rows, "i2", "C2", "2025-01-15T00:00:00Z", "2025-02-03T00:00:00Z", "30.00"); // support: 7 days after w2
        invoice(rows, "i3", "C3", "2025-01-15T00:00:00Z", "2025-02-15T00:00:00Z", "30.00"); // 19 days after w3: lost
        invoice(rows, "i4", "C4", "2025-01-15T00:00:00Z", "2025-02-01T00:00:00Z", "30.00"); // no win-back: lost
        invoice(rows, "i5", "C5", "2025-01-15T00:00:00Z", null, "30.00");                   // never paid: lost
        // February: C2 fails again and pays 12 h after dunning, within 14 days of w2b, which predates this failure
        invoice(rows, "i11", "C2", "2025-02-15T00:00:00Z", "2025-02-27T12:00:00Z", "30.00");
        // March
        invoice(rows, "i8", "C8", "2025-03-25T00:00:00Z", null, "40.00");                   // dunning still running
        invoice(rows, "i9", "C9", "2025-03-10T00:00:00Z", null, "40.00");                   // support has until 04-05
        invoice(rows, "i10", "C10", "2025-03-05T00:00:00Z", "2025-03-20T00:00:00Z", "40.00"); // support
        invoice(rows, "i12", "C12", "2025-03-01T00:00:00Z", "2025-04-02T00:00:00Z", "40.00"); // paid after as-of: lost
        // paid first time: not a failed renewal
        rows.add(row("i7", "C7", ts("2025-01-15T00:00:00Z"), money("30.00"), "paid", null,
                ts("2025-01-15T00:00:00Z")));
        Dataset<Row> attempts = Frames.of(spark, ATTEMPTS_DDL, rows.toArray(Object[][]::new));
        Dataset<Row> tickets = Frames.of(spark, SupportPnlMonthlyTest.TICKETS_DDL,
                row("w2", "C2", "bob@x", ts("2025-01-27T06:00:00Z"), "winback"),
                row("w2b", "C2", "bob@x", ts("2025-02-14T00:00:00Z"), "winback"),
                row("w3", "C3", "bob@x", ts("2025-01-27T06:00:00Z"), "winback"),
                row("w5", "C5", "bob@x", ts("2025-01-27T06:00:00Z"), "winback"),
                // an ordinary ticket is no win-back
                row("t4", "C4", "bob@x", ts("2025-01-28T00:00:00Z"), null),
                row("w10", "C10", "bob@x", ts("2025-03-17T05:00:00Z"), "winback"),
                row("w12", "C12", "bob@x", ts("2025-03-13T06:00:00Z"), "winback"));
        months = new HashMap<>();
        for (Row r : PassiveChurnRecoveryMonthly.apply(attempts, tickets, AsOf.endOfDay(LocalDate.parse("2025-03-31")),
                Settings.defaults()).collectAsList()) {
            months.put(r.getAs(MONTH), r);
        }
    }

    @Test
    void january() {
        Row jan = months.get("2025-01");
        assertCounts(jan, 6, 2, 0, 4, 1, 0, 3, 2);
        assertThat(jan.<Double>getAs(DUNNING_RECOVERY_RATE)).isEqualTo(2.0 / 6);
        assertThat(jan.<Double>getAs(SUPPORT_RECOVERY_RATE)).isEqualTo(1.0 / 4);
        ConfidenceInterval ci = new WilsonScoreInterval().createInterval(4, 1, 0.95);
        assertThat(jan.<Double>getAs(CI_LOW)).isCloseTo(ci.getLowerBound(), within(1e-6));
        assertThat(jan.<Double>getAs(CI_HIGH)).isCloseTo(ci.getUpperBound(), within(1e-6));
        // i2's payment
        assertThat(jan.<BigDecimal>getAs(RECOVERED_REVENUE)).isEqualTo(new BigDecimal("30.00"));
    }

    @Test
    void aWinBackTicketAboutAnEarlierFailureDoesNotCount() {
        Row feb = months.get("2025-02");
        assertCounts(feb, 1, 0, 0, 1, 0, 0, 1, 1);
        assertThat(feb.<Double>getAs(SUPPORT_RECOVERY_RATE)).isEqualTo(0.0);
        assertThat(feb.<BigDecimal>getAs(RECOVERED_REVENUE)).isEqualTo(new BigDecimal("0.00"));
    }

    @Test
    void openWindowsAreNotJudgedAndPaymentsAfterAsOfHaveNotHappened() {
        Row mar = months.get("2025-03");
        // i8 pending dunning; i9 awaiting support; i10 support; i12 lost (its windows closed 03-27)
        assertCounts(mar, 4, 0, 1, 3, 1, 1, 1, 0);
        // decided: 3 failed less 1 pending -> 0 / 3; support: 1 / (3 handed - 1 awaiting)
        assertThat(mar.<Double>getAs(DUNNING_RECOVERY_RATE)).isEqualTo(0.0);
        assertThat(mar.<Double>getAs(SUPPORT_RECOVERY_RATE)).isEqualTo(0.5);
        assertThat(mar.<BigDecimal>getAs(RECOVERED_REVENUE)).isEqualTo(new BigDecimal("40.00"));
    }

    private static void assertCounts(Row r, long failed, long dunning, long pendingDunning, long handed,
                                     long support, long awaiting, long lost, long paidWithoutSupport) {
        assertThat(List.of(r.<Long>getAs(FAILED_RENEWALS), r.<Long>getAs(RECOVERED_BY_DUNNING),
                r.<Long>getAs(PENDING_DUNNING), r.<Long>getAs(HANDED_TO_SUPPORT), r.<Long>getAs(RECOVERED_BY_SUPPORT),
                r.<Long>getAs(AWAITING_SUPPORT), r.<Long>getAs(LOST), r.<Long>getAs(PAID_WITHOUT_SUPPORT)))
                .as("failed, dunning, pending dunning, handed, support, awaiting, lost, paid without support")
                .containsExactly(failed, dunning, pendingDunning, handed, support, awaiting, lost, paidWithoutSupport);
    }
}
