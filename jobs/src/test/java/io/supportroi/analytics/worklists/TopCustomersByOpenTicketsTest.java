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
import java.util.ArrayList;
import java.util.List;

import static io.supportroi.analytics.worklists.TopCustomersByOpenTickets.*;
import static io.supportroi.testing.Frames.money;
import static io.supportroi.testing.Frames.row;
import static io.supportroi.testing.Frames.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@ExtendWith(SparkTest.class)
class TopCustomersByOpenTicketsTest {
    static final Timestamp END = AsOf.endOfDay(LocalDate.parse("2025-03-31"));

    private static Object[] ticket(String id, String customer, String status, String createdAt) {
        boolean solved = status.equals("solved");
        return row(id, customer, "a@x", "email", status, ts(createdAt), solved ? ts("2025-03-31T00:00:00Z") : null,
                solved ? 1.0 : null, List.of(), null);
    }

    @Test
    void mostOpenTicketsFirstCutAtTopN(SparkSession spark) {
        List<Object[]> rows = new ArrayList<>(List.of(
                ticket("a1", "A", "open", "2025-03-20T00:00:00Z"),
                ticket("a2", "A", "pending", "2025-03-10T00:00:00Z"),
                ticket("a3", "A", "hold", "2025-03-25T00:00:00Z"),
                // B and C both have two open: the more valuable first
                ticket("b1", "B", "open", "2025-03-30T00:00:00Z"),
                ticket("b2", "B", "open", "2025-03-30T12:00:00Z"),
                ticket("c1", "C", "open", "2025-03-01T00:00:00Z"),
                ticket("c2", "C", "new", "2025-03-02T00:00:00Z"),
                ticket("c3", "C", "solved", "2025-02-01T00:00:00Z"),
                // D has one: cut by top 3
                ticket("d1", "D", "open", "2025-03-05T00:00:00Z"),
                // open tickets created after as-of do not count yet
                ticket("d2", "D", "open", "2025-04-02T00:00:00Z"),
                ticket("d3", "D", "open", "2025-04-03T00:00:00Z"),
                ticket("d4", "D", "open", "2025-04-04T00:00:00Z"),
                // no customer: not a customer's ticket
                ticket("x1", null, "open", "2025-03-05T00:00:00Z"),
                ticket("x2", null, "open", "2025-03-05T00:00:00Z"),
                ticket("x3", null, "open", "2025-03-05T00:00:00Z")));
        for (int i = 0; i < 5; i++) {
            rows.add(ticket("e" + i, "E", "solved", "2025-03-05T00:00:00Z"));
        }
        Dataset<Row> tickets = Frames.of(spark, WorklistFixtures.TICKETS, rows.toArray(Object[][]::new));
        Dataset<Row> value = Frames.of(spark, WorklistFixtures.VALUES,
                row("A", money("10.00")), row("B", money("500.00")), row("C", money("100.00")), row("D", money("900.00")));

        Dataset<Row> top = TopCustomersByOpenTickets.apply(tickets, value, END, 3);
        assertThat(top.columns()).containsExactlyElementsOf(COLUMNS);
        List<Row> out = top.orderBy(RANK).collectAsList();
        assertThat(out.stream().map(r -> r.<String>getAs(CUSTOMER_ID)).toList()).containsExactly("A", "B", "C");
        assertThat(out.stream().map(r -> r.<Integer>getAs(RANK)).toList()).containsExactly(1, 2, 3);
        assertThat(out.stream().map(r -> r.<Long>getAs(OPEN_TICKETS)).toList()).containsExactly(3L, 2L, 2L);
        Row a = out.get(0);
        assertThat(a.<String>getAs(OLDEST_OPEN_TICKET_ID)).isEqualTo("a2");
        assertThat(a.<Timestamp>getAs(OLDEST_OPEN_CREATED_AT)).isEqualTo(ts("2025-03-10T00:00:00Z"));
        assertThat(a.<Double>getAs(OLDEST_OPEN_AGE_HOURS)).isCloseTo(22 * 24.0, within(1e-6));
        assertThat(a.<BigDecimal>getAs(CUSTOMER_VALUE)).isEqualTo(money("10.00"));
        assertThat(out.get(2).<String>getAs(OLDEST_OPEN_TICKET_ID)).isEqualTo("c1");

        List<Row> all = TopCustomersByOpenTickets.apply(tickets, value, END, 50).orderBy(RANK).collectAsList();
        assertThat(all.stream().map(r -> r.<String>getAs(CUSTOMER_ID)).toList()).containsExactly("A", "B", "C", "D");
    }
}
