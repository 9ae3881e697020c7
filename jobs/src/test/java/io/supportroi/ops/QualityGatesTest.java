package io.supportroi.ops;

import io.supportroi.config.Settings;
import io.supportroi.model.Orders;
import io.supportroi.model.Tickets;
import io.supportroi.model.Unmatched;
import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static io.supportroi.testing.Frames.row;
import static io.supportroi.testing.Frames.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Each gate on tiny tables whose verdicts are known by construction. */
@ExtendWith(SparkTest.class)
class QualityGatesTest {
    private static final Settings.QualitySettings GATES = new Settings.QualitySettings(true, 0.10, 0.20, 100, 35);

    @Test
    void everyGateJudgesItsSubject(SparkSession spark) {
        // Tickets: key 2 twice, one null key; the newest ticket 40 days before the end of the as-of day.
        var tickets = Frames.of(spark, "ticket_id STRING, created_at TIMESTAMP",
                row("1", ts("2025-03-01T00:00:00Z")), row("2", ts("2025-03-02T00:00:00Z")),
                row("2", ts("2025-03-02T00:00:00Z")), row(null, ts("2025-03-22T00:00:00Z")));
        // Orders: clean, newest 1 day before the end of the as-of day.
        var orders = Frames.of(spark, "order_id STRING, ordered_at TIMESTAMP",
                row("a", ts("2025-04-29T00:00:00Z")), row("b", ts("2025-04-30T00:00:00Z")));
        var in = new QualityGates.Inputs(
                Map.of(Tickets.TABLE, tickets, Orders.TABLE, orders),
                Map.of(Tickets.TABLE, List.of(Tickets.TICKET_ID), Orders.TABLE, List.of(Orders.ORDER_ID)),
                // tickets had 10 rows after the last successful run: 4 now is a 60% drop; orders grew.
                Map.of(Tickets.TABLE.qualified(), 10L, Orders.TABLE.qualified(), 1L),
                List.of(new Unmatched.Count("silver.tickets", "zendesk", Unmatched.CUSTOMER, 200, 50, 0),
                        new Unmatched.Count("silver.orders", "shopify", Unmatched.CUSTOMER, 200, 40, 0),
                        new Unmatched.Count("silver.orders", "csv", Unmatched.CUSTOMER, 99, 99, 0)));

        List<QualityGates.Result> results = QualityGates.evaluate(in, GATES, ts("2025-04-30T23:59:59.999999Z"));
        Map<String, QualityGates.Result> byKey = new java.util.HashMap<>();
        results.forEach(r -> byKey.put(r.gate() + " " + r.subject(), r));

        assertThat(byKey.get("null_keys silver.tickets").value()).isEqualTo(1.0);
        assertThat(byKey.get("null_keys silver.tickets").passed()).isFalse();
        assertThat(byKey.get("duplicate_keys silver.tickets").value()).isEqualTo(1.0);
        assertThat(byKey.get("duplicate_keys silver.tickets").passed()).isFalse();
        assertThat(byKey.get("null_keys silver.orders").passed()).isTrue();
        assertThat(byKey.get("duplicate_keys silver.orders").passed()).isTrue();

        assertThat(byKey.get("row_count_drop silver.tickets").value()).isCloseTo(0.6, within(1e-12));
        assertThat(byKey.get("row_count_drop silver.tickets").passed()).isFalse();
        assertThat(byKey.get("row_count_drop silver.orders").value()).isCloseTo(-1.0, within(1e-12));
        assertThat(byKey.get("row_count_drop silver.orders").passed()).isTrue();

        // Newest ticket 2025-03-22 00:00, as-of end 2025-04-30 23:59:59.999999: 39.99999... days.
        assertThat(byKey.get("source_lag_days silver.tickets").value()).isCloseTo(40.0, within(1e-6));
        assertThat(byKey.get("source_lag_days silver.tickets").passed()).isFalse();
        assertThat(byKey.get("source_lag_days silver.orders").value()).isCloseTo(1.0, within(1e-6));
        assertThat(byKey.get("source_lag_days silver.orders").passed()).isTrue();

        assertThat(byKey.get("unmatched_share silver.tickets from zendesk").value()).isEqualTo(0.25);
        assertThat(byKey.get("unmatched_share silver.tickets from zendesk").passed()).isFalse();
        assertThat(byKey.get("unmatched_share silver.orders from shopify").value()).isEqualTo(0.20);
        assertThat(byKey.get("unmatched_share silver.orders from shopify").passed()).isTrue();
        // 99 records are below min-records-for-share: not judged at all.
        assertThat(byKey).doesNotContainKey("unmatched_share silver.orders from csv");
        assertThat(results).hasSize(10);
    }
}
