package io.supportroi.analytics;

import io.supportroi.config.Settings;
import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

import static io.supportroi.analytics.ChannelVsLoyalty.*;
import static io.supportroi.testing.Frames.money;
import static io.supportroi.testing.Frames.row;
import static io.supportroi.testing.Frames.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Hand-computed channel table: every figure below is worked out in the comments of the fixture. */
@ExtendWith(SparkTest.class)
class ChannelVsLoyaltyTest {
    private static final String TICKETS_DDL = "ticket_id STRING, customer_id STRING, channel STRING, created_at TIMESTAMP, "
            + "resolution_hours DOUBLE, first_response_seconds DOUBLE, csat INT";
    private static Map<String, Row> rows;

    @BeforeAll
    static void compute(SparkSession spark) {
        Dataset<Row> tickets = Frames.of(spark, TICKETS_DDL,
                row("t1", "A", "chat", ts("2025-01-10T00:00:00Z"), 1.0, 60.0, 1),    // A subscribed: retained
                row("t2", "A", "chat", ts("2025-03-01T00:00:00Z"), 3.0, 60.0, null), // retained
                row("t3", "B", "email", ts("2025-01-20T00:00:00Z"), 10.0, 60.0, 0),  // B ended 03-01: not retained
                row("t4", "C", "email", ts("2025-02-01T00:00:00Z"), 20.0, 60.0, 1),  // never subscribed, 02-10 order: retained
                row("t5", "C", "chat", ts("2025-02-15T00:00:00Z"), 2.0, 60.0, 1),    // next order 06-01 > 05-16: not retained
                row("t6", "D", "phone", ts("2025-11-01T00:00:00Z"), 0.5, 60.0, 1));  // censored
        Dataset<Row> subs = Frames.of(spark, "customer_id STRING, started_at TIMESTAMP, ended_at TIMESTAMP",
                row("A", ts("2024-12-01T00:00:00Z"), null),
                row("B", ts("2024-12-01T00:00:00Z"), ts("2025-03-01T00:00:00Z")),
                row("D", ts("2025-10-01T00:00:00Z"), null));
        Dataset<Row> orders = Frames.of(spark, "customer_id STRING, ordered_at TIMESTAMP, total DECIMAL(18,2), cancelled_at TIMESTAMP",
                row("A", ts("2025-02-01T00:00:00Z"), money("39.00"), null),
                row("A", ts("2025-08-01T00:00:00Z"), money("39.00"), null),
                row("C", ts("2025-02-10T00:00:00Z"), money("10.00"), null),
                row("C", ts("2025-06-01T00:00:00Z"), money("20.00"), null));
        LocalDate asOf = LocalDate.parse("2025-12-31");
        Settings.AnalyticsSettings settings = Settings.defaults().analytics();
        Dataset<Row> timeline = CustomerTimeline.apply(subs, orders);
        Dataset<Row> outcomes = TicketOutcomes.apply(tickets, timeline, AsOf.endOfDay(asOf), settings.retentionHorizonDays());
        rows = new HashMap<>();
        for (Row r : ChannelVsLoyalty.apply(tickets, outcomes, timeline, AsOf.endOfDay(asOf), settings).collectAsList()) {
            rows.put(r.getAs(CHANNEL), r);
        }
    }

    @Test
    void retentionPerChannel() {
        expectRetention("chat", 3, 2, 2);
        expectRetention("email", 2, 2, 1);
        expectRetention("all", 5, 3, 3);
        Row phone = rows.get("phone");
        assertThat(phone.<Long>getAs(TICKETS)).isZero(); // its only ticket's window is not over
        assertThat(phone.isNullAt(phone.fieldIndex(RETENTION_RATE))).isTrue();
        assertThat(rows).hasSize(4);
    }

    @Test
    void repeatPurchaseAndRevenueIn180Days() {
        // chat: A (02-01, $39) and C (06-01, $20) ordered after their first chat ticket
        expectLoyalty("chat", 2, 1.0, "29.50");
        // email: B never ordered; C ordered $10 + $20 after 02-01
        expectLoyalty("email", 2, 0.5, "15.00");
        expectLoyalty("all", 4, 0.75, "22.25");
        Row phone = rows.get("phone"); // D's window ends after as-of
        assertThat(phone.isNullAt(phone.fieldIndex(REPEAT_PURCHASE_RATE))).isTrue();
    }

    @Test
    void csatAndMedianResolution() {
        assertThat(rows.get("chat").<Double>getAs(CSAT)).isEqualTo(1.0);
        assertThat(rows.get("email").<Double>getAs(CSAT)).isEqualTo(0.5);
        assertThat(rows.get("all").<Double>getAs(CSAT)).isEqualTo(0.8);
        assertThat(rows.get("chat").<Double>getAs(MEDIAN_RESOLUTION_HOURS)).isEqualTo(2.0);
        assertThat(rows.get("email").<Double>getAs(MEDIAN_RESOLUTION_HOURS)).isEqualTo(15.0);
        assertThat(rows.get("phone").<Double>getAs(MEDIAN_RESOLUTION_HOURS)).isEqualTo(0.5);
        assertThat(rows.get("all").<Double>getAs(MEDIAN_RESOLUTION_HOURS)).isEqualTo(2.5);
    }

    @Test
    void chiSquareMatchesCommonsMathOnTheContingencyTable() {
        // rows: chat, email; columns: not retained, retained
        long[][] counts = {{1, 2}, {1, 1}};
        ChiSquareTest reference = new ChiSquareTest();
        Row all = rows.get("all");
        assertThat(all.<Double>getAs(CHI_SQUARE)).isCloseTo(reference.chiSquare(counts), within(1e-12));
        assertThat(all.<Double>getAs(CHI_SQUARE_P_VALUE)).isCloseTo(reference.chiSquareTest(counts), within(1e-9));
        assertThat(all.<Integer>getAs(CHI_SQUARE_DOF)).isEqualTo(1);
        assertThat(rows.get("chat").isNullAt(rows.get("chat").fieldIndex(CHI_SQUARE))).isTrue();
    }

    private static void expectRetention(String channel, long tickets, long customers, long retained) {
        Row r = rows.get(channel);
        assertThat(r.<Long>getAs(TICKETS)).as(channel).isEqualTo(tickets);
        assertThat(r.<Long>getAs(CUSTOMERS)).as(channel).isEqualTo(customers);
        assertThat(r.<Long>getAs(RETAINED)).as(channel).isEqualTo(retained);
        assertThat(r.<Double>getAs(RETENTION_RATE)).isCloseTo((double) retained / tickets, within(1e-12));
        assertThat(r.<Double>getAs(CI_LOW)).isLessThan((double) retained / tickets);
    }

    private static void expectLoyalty(String channel, long customers180, double rate, String revenue) {
        Row r = rows.get(channel);
        assertThat(r.<Long>getAs(CUSTOMERS_180D)).as(channel).isEqualTo(customers180);
        assertThat(r.<Double>getAs(REPEAT_PURCHASE_RATE)).as(channel).isCloseTo(rate, within(1e-12));
        assertThat(r.<BigDecimal>getAs(REVENUE_PER_CUSTOMER_180D)).as(channel).isEqualByComparingTo(revenue);
    }
}
