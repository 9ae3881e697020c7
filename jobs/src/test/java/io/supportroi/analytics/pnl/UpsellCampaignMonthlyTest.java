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
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.supportroi.analytics.pnl.UpsellCampaignMonthly.*;
import static io.supportroi.testing.Frames.money;
import static io.supportroi.testing.Frames.row;
import static io.supportroi.testing.Frames.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Hand-computed welcome-upsell outreach (as-of 2025-02-28, conversion window 14 days): an outreach converts with
 * its customer's first order in (sent, sent + 14 days]; windows still open at as-of are pending, not judged.
 */
@ExtendWith(SparkTest.class)
class UpsellCampaignMonthlyTest {
    private static final double Z = 1.959963984540054;
    private static Map<String, Row> months;

    @BeforeAll
    static void compute(SparkSession spark) {
        Dataset<Row> tickets = Frames.of(spark, SupportPnlMonthlyTest.TICKETS_DDL,
                // December: C9's first outreach; C9 converts with o9, which is credited to the later u11
                row("u10", "C9", "bob@x", ts("2024-12-28T00:00:00Z"), "upsell"),
                row("u1", "C1", "bob@x", ts("2025-01-05T00:00:00Z"), "upsell"),
                row("u2", "C2", "alice@x", ts("2025-01-10T00:00:00Z"), "upsell"),
                // the window is (sent, sent + 14 days]: C3 orders exactly at its end, C4 one second after
                row("u3", "C3", "alice@x", ts("2025-01-12T10:00:00Z"), "upsell"),
                row("u4", "C4", "alice@x", ts("2025-01-12T10:00:00Z"), "upsell"),
                // C5's only order was cancelled; C6 only got a replacement
                row("u5", "C5", "alice@x", ts("2025-01-20T00:00:00Z"), "upsell"),
                row("u6", "C6", "alice@x", ts("2025-01-25T00:00:00Z"), "upsell"),
                row("u11", "C9", "alice@x", ts("2025-01-04T00:00:00Z"), "upsell"),
                // no customer: cannot be judged
                row("u9", null, "alice@x", ts("2025-01-15T00:00:00Z"), "upsell"),
                // not an upsell outreach
                row("w1", "C1", "bob@x", ts("2025-01-06T00:00:00Z"), "winback"),
                row("u8", "C8", "bob@x", ts("2025-02-01T00:00:00Z"), "upsell"),
                // window ends 03-06, after as-of: pending, though C7 already ordered
                row("u7", "C7", "bob@x", ts("2025-02-20T00:00:00Z"), "upsell"));
        Dataset<Row> orders = Frames.of(spark, SupportPnlMonthlyTest.ORDERS_DDL,
                // carries Alice's code: still u1's conversion in the campaign's view
                row("o1", "C1", ts("2025-01-07T00:00:00Z"), money("60.00"), List.of("ALICE10"), null, List.of()),
                row("o2", "C2", ts("2025-01-12T00:00:00Z"), money("40.00"), List.of(), null, List.of()),
                row("o3", "C2", ts("2025-01-15T00:00:00Z"), money("25.00"), List.of(), null, List.of()),
                row("o5", "C3", ts("2025-01-26T10:00:00Z"), money("30.00"), List.of(), null, List.of()),
                row("o6", "C4", ts("2025-01-26T10:00:01Z"), money("30.00"), List.of(), null, List.of()),
                row("o7", "C5", ts("2025-01-21T00:00:00Z"), money("45.00"), List.of(), ts("2025-01-22T00:00:00Z"),
                        List.of()),
                row("o8", "C6", ts("2025-01-26T00:00:00Z"), money("0.00"), List.of(), null, List.of("replacement")),
                row("o9", "C9", ts("2025-01-06T00:00:00Z"), money("50.00"), List.of(), null, List.of()),
                row("o10", "C8", ts("2025-02-03T00:00:00Z"), money("20.00"), List.of(), null, List.of()),
                row("o11", "C7", ts("2025-02-21T00:00:00Z"), money("10.00"), List.of(), null, List.of()));
        Dataset<Row> lines = Frames.of(spark, SupportPnlMonthlyTest.LINES_DDL,
                row("o1", "BOX", 1, money("60.00")),
                row("o2", "SOCKS", 2, money("20.00")),
                row("o3", "BOX", 1, money("25.00")),
                row("o5", "BOX", 1, money("30.00")),
                row("o6", "BOX", 1, money("30.00")),
                row("o8", "BOX", 1, money("30.00")),
                row("o9", "MUG", 1, money("50.00")),
                row("o10", "SOCKS", 1, money("20.00")),
                row("o11", "SOCKS", 1, money("10.00")));
        Dataset<Row> products = Frames.of(spark, SupportPnlMonthlyTest.PRODUCTS_DDL,
                row("BOX", money("22.00")), row("SOCKS", money("6.50")), row("MUG", money("12.25")));
        months = new HashMap<>();
        for (Row r : UpsellCampaignMonthly.apply(orders, lines, products, tickets,
                AsOf.endOfDay(LocalDate.parse("2025-02-28")), Settings.defaults()).collectAsList()) {
            months.put(r.getAs(MONTH), r);
        }
    }

    @Test
    void conversionsPerMonthOfOutreach() {
        assertThat(months.keySet()).containsExactlyInAnyOrder("2024-12", "2025-01", "2025-02");
        Row jan = months.get("2025-01");
        // u1, u2, u3, u4, u5, u6, u11 (u9 has no customer)
        assertThat(jan.<Long>getAs(CONTACTED)).isEqualTo(7L);
        // u1 (o1), u2 (o2), u3 (o5, at the window's end), u11 (o9); not u4 (a second late), u5, u6
        assertThat(jan.<Long>getAs(CONVERTED)).isEqualTo(4L);
        assertThat(jan.<Double>getAs(CONVERSION_RATE)).isEqualTo(4.0 / 7);
        assertThat(jan.<Long>getAs(PENDING)).isZero();
        ConfidenceInterval ci = new WilsonScoreInterval().createInterval(7, 4, 0.95);
        assertThat(jan.<Double>getAs(CI_LOW)).isCloseTo(ci.getLowerBound(), within(1e-6));
        assertThat(jan.<Double>getAs(CI_HIGH)).isCloseTo(ci.getUpperBound(), within(1e-6));
    }

    @Test
    void revenueCountsEachConversionOrderOnceAtGrossProfit() {
        Row jan = months.get("2025-01");
        // o1 60 + o2 40 + o5 30 + o9 50 (credited to u11, the later of C9's two outreaches)
        assertThat(jan.<BigDecimal>getAs(REVENUE)).isEqualTo(new BigDecimal("180.00"));
        // BOX 22 + 2 x SOCKS 6.50 + BOX 22 + MUG 12.25
        assertThat(jan.<BigDecimal>getAs(COGS)).isEqualTo(new BigDecimal("69.25"));
        assertThat(jan.<BigDecimal>getAs(GROSS_PROFIT)).isEqualTo(new BigDecimal("110.75"));
        Row dec = months.get("2024-12");
        // u10 converted too (o9 is within its window), but the order's revenue is u11's
        assertThat(dec.<Long>getAs(CONTACTED)).isEqualTo(1L);
        assertThat(dec.<Long>getAs(CONVERTED)).isEqualTo(1L);
        assertThat(dec.<BigDecimal>getAs(REVENUE)).isEqualTo(new BigDecimal("0.00"));
        assertThat(dec.<BigDecimal>getAs(GROSS_PROFIT)).isEqualTo(new BigDecimal("0.00"));
    }

    @Test
    void openWindowsArePendingNotJudged() {
        Row feb = months.get("2025-02");
        // u8 converts with o10; u7's window is still open
        assertThat(feb.<Long>getAs(CONTACTED)).isEqualTo(1L);
        assertThat(feb.<Long>getAs(CONVERTED)).isEqualTo(1L);
        assertThat(feb.<Long>getAs(PENDING)).isEqualTo(1L);
        assertThat(feb.<Double>getAs(CONVERSION_RATE)).isEqualTo(1.0);
        // o10 only: 20.00 - 6.50
        assertThat(feb.<BigDecimal>getAs(REVENUE)).isEqualTo(new BigDecimal("20.00"));
        assertThat(feb.<BigDecimal>getAs(GROSS_PROFIT)).isEqualTo(new BigDecimal("13.50"));
    }
}
