package io.supportroi.analytics.worklists;

import io.supportroi.analytics.AsOf;
import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;

import static io.supportroi.analytics.worklists.TicketPriorityQueue.*;
import static io.supportroi.testing.Frames.money;
import static io.supportroi.testing.Frames.row;
import static io.supportroi.testing.Frames.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@ExtendWith(SparkTest.class)
class TicketPriorityQueueTest {
    static final Timestamp END = AsOf.endOfDay(LocalDate.parse("2025-03-31"));

    @Test
    void openTicketsRankedByValueAtRisk(SparkSession spark) {
        Dataset<Row> tickets = Frames.of(spark, WorklistFixtures.TICKETS,
                row("t1", "C1", "a@x", "email", "open", ts("2025-03-30T00:00:00Z"), null, null, List.of(), null),
                row("t2", "C2", "a@x", "chat", "pending", ts("2025-03-29T00:00:00Z"), null, null, List.of(), null),
                row("t3", "C3", "a@x", "email", "solved", ts("2025-03-28T00:00:00Z"), ts("2025-03-29T00:00:00Z"), 24.0,
                        List.of(), null),
                row("t4", "C4", null, "web", "new", ts("2025-03-31T12:00:00Z"), null, null, List.of(), null),
                row("t5", "C1", "b@x", "phone", "hold", ts("2025-03-25T00:00:00Z"), null, null, List.of(), null),
                row("t6", "C2", "a@x", "email", "Closed", ts("2025-03-20T00:00:00Z"), ts("2025-03-21T00:00:00Z"), 24.0,
                        List.of(), null),
                // created after as-of
                row("t7", "C2", "a@x", "email", "open", ts("2025-04-02T00:00:00Z"), null, null, List.of(), null),
                // solved since as-of: still open at the end of the as-of day
                row("t9", "C2", "a@x", "email", "solved", ts("2025-03-28T00:00:00Z"), ts("2025-04-01T08:00:00Z"), 80.0,
                        List.of(), null),
                // closed without a solve time: finished
                row("t10", "C2", "a@x", "email", "closed", ts("2025-03-28T00:00:00Z"), null, null, List.of(), null),
                // no known customer: nothing at stake, still queued
                row("t8", null, null, "email", "open", ts("2025-03-31T00:00:00Z"), null, null, List.of(), null));
        Dataset<Row> risk = Frames.of(spark, "ticket_id STRING, churn_risk DOUBLE",
                row("t1", 0.5), row("t2", 0.25), row("t3", 0.99), row("t4", 0.9), row("t5", 0.5), row("t6", 0.99),
                row("t7", 0.99), row("t8", 0.3), row("t9", 0.1), row("t10", 0.99));
        Dataset<Row> value = Frames.of(spark, WorklistFixtures.VALUES,
                row("C1", money("100.00")), row("C2", money("400.00")), row("C3", money("999.00")));
        Dataset<Row> queue = TicketPriorityQueue.apply(tickets, risk, value, END);
        assertThat(queue.columns()).containsExactlyElementsOf(COLUMNS);
        List<Row> rows = queue.orderBy(RANK).collectAsList();
        // t2 400 x 0.25 = 100; t5 and t1 100 x 0.5 = 50 (older first); t9 400 x 0.1 = 40; t4 and t8 0 (riskier first)
        assertThat(rows.stream().map(r -> r.<String>getAs(TICKET_ID)).toList())
                .containsExactly("t2", "t5", "t1", "t9", "t4", "t8");
        assertThat(rows.stream().map(r -> r.<Integer>getAs(RANK)).toList()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(rows.stream().map(r -> r.<BigDecimal>getAs(VALUE_AT_RISK)).toList())
                .containsExactly(money("100.00"), money("50.00"), money("50.00"), money("40.00"), money("0.00"),
                        money("0.00"));
        Row t1 = rows.get(2);
        assertThat(t1.<BigDecimal>getAs(CUSTOMER_VALUE)).isEqualTo(money("100.00"));
        assertThat(t1.<Double>getAs(CHURN_RISK)).isEqualTo(0.5);
        assertThat(t1.<String>getAs(STATUS)).isEqualTo("open");
        assertThat(t1.<String>getAs(CHANNEL)).isEqualTo("email");
        assertThat(t1.<Timestamp>getAs(CREATED_AT)).isEqualTo(ts("2025-03-30T00:00:00Z"));
        // to the end of the as-of day
        assertThat(t1.<Double>getAs(AGE_HOURS)).isCloseTo(48.0, within(1e-6));
        assertThat(rows.get(4).<BigDecimal>getAs(CUSTOMER_VALUE)).isEqualTo(money("0.00"));
    }
}
