package io.supportroi.analytics.worklists;

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
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.supportroi.analytics.worklists.WinbackWorklist.*;
import static io.supportroi.testing.Frames.money;
import static io.supportroi.testing.Frames.row;
import static io.supportroi.testing.Frames.ts;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(SparkTest.class)
class WinbackWorklistTest {
    static final Timestamp END = AsOf.endOfDay(LocalDate.parse("2025-03-31"));
    static final String FAILED = "failed";
    static final String PAID = "paid";

    private static Map<String, Row> listed;
    private static Dataset<Row> value;

    private static Object[] attempt(String customer, String invoice, String at, int n, String outcome) {
        return row("s" + customer, customer, invoice, ts(at), n, money("39.00"), outcome);
    }

    @BeforeAll
    static void compute(SparkSession spark) {
        Dataset<Row> attempts = Frames.of(spark, WorklistFixtures.ATTEMPTS,
                // C1: failed 13 days before as-of, dunning over on 03-30, unpaid: listed, with its latest invoice;
                // an older unrecovered invoice does not make a second row
                attempt("C1", "i0", "2025-01-15T06:00:00Z", 1, FAILED),
                attempt("C1", "i1", "2025-03-18T06:00:00Z", 1, FAILED),
                attempt("C1", "i1", "2025-03-21T06:00:00Z", 2, FAILED),
                attempt("C1", "i1", "2025-03-29T06:00:00Z", 3, FAILED),
                // C2: paid on day 5 of dunning
                attempt("C2", "i2", "2025-03-10T06:00:00Z", 1, FAILED),
                attempt("C2", "i2", "2025-03-15T06:00:00Z", 2, PAID),
                // C3: dunning ends tomorrow (04-01 06:00)
                attempt("C3", "i3", "2025-03-20T06:00:00Z", 1, FAILED),
                // C4: win-back ticket on 03-20, follow-up window open until 04-03: still listed, contacted
                attempt("C4", "i4", "2025-03-01T06:00:00Z", 1, FAILED),
                // C5: win-back ticket on 02-13, window over on 02-27 without payment: off the list
                attempt("C5", "i5", "2025-02-01T06:00:00Z", 1, FAILED),
                // C6: cancelled on 03-08 for another reason
                attempt("C6", "i6", "2025-03-05T06:00:00Z", 1, FAILED),
                // C7: billing cancelled the subscription on the last retry, before dunning ended: still to win back
                attempt("C7", "i7", "2025-03-01T06:00:00Z", 1, FAILED),
                // C8: lost, the subscription ended for non-payment two weeks after dunning
                attempt("C8", "i8", "2025-02-01T06:00:00Z", 1, FAILED),
                // C9: paid on 04-02, after as-of: unpaid as far as as-of knows
                attempt("C9", "i9", "2025-03-10T06:00:00Z", 1, FAILED),
                attempt("C9", "i9", "2025-04-02T06:00:00Z", 2, PAID),
                // C10: a renewal that never failed
                attempt("C10", "i10", "2025-03-01T06:00:00Z", 1, PAID));
        Dataset<Row> subscriptions = Frames.of(spark, WorklistFixtures.SUBSCRIPTIONS,
                row("sC1", "C1", ts("2024-06-01T00:00:00Z"), null, null),
                row("sC2", "C2", ts("2024-06-01T00:00:00Z"), null, null),
                row("sC3", "C3", ts("2024-06-01T00:00:00Z"), null, null),
                row("sC4", "C4", ts("2024-06-01T00:00:00Z"), null, null),
                row("sC5", "C5", ts("2024-06-01T00:00:00Z"), null, null),
                row("sC6", "C6", ts("2024-06-01T00:00:00Z"), ts("2025-03-08T00:00:00Z"), "voluntary"),
                row("sC7", "C7", ts("2024-06-01T00:00:00Z"), ts("2025-03-12T06:00:00Z"), "payment_failed"),
                row("sC8", "C8", ts("2024-06-01T00:00:00Z"), ts("2025-02-27T06:00:00Z"), "payment_failed"),
                row("sC9", "C9", ts("2024-06-01T00:00:00Z"), null, null),
                row("sC10", "C10", ts("2024-06-01T00:00:00Z"), null, null));
        Dataset<Row> tickets = Frames.of(spark, WorklistFixtures.TICKETS,
                row("t1", "C1", "a@x", "email", "solved", ts("2025-02-01T00:00:00Z"), ts("2025-02-02T00:00:00Z"), 24.0,
                        List.of(), null),
                row("t2", "C1", "a@x", "chat", "open", ts("2025-03-25T09:00:00Z"), null, null, List.of(), null),
                // after as-of: not yet known
                row("t3", "C1", "a@x", "email", "open", ts("2025-04-05T00:00:00Z"), null, null, List.of(), null),
                row("t4", "C4", "a@x", "email", "pending", ts("2025-03-20T10:00:00Z"), null, null,
                        List.of("winback"), "winback"),
                row("t5", "C5", "a@x", "email", "solved", ts("2025-02-13T10:00:00Z"), ts("2025-02-14T10:00:00Z"), 24.0,
                        List.of("winback"), "winback"),
                // C9's only win-back ticket predates this failure: it does not count as contact for it
                row("t6", "C9", "a@x", "email", "solved", ts("2024-11-01T10:00:00Z"), ts("2024-11-02T10:00:00Z"), 24.0,
                        List.of("winback"), "winback"));
        Dataset<Row> customers = Frames.of(spark, WorklistFixtures.CUSTOMERS,
                row("C1", "jane@example.com", "Jane Doe"), row("C4", "max@example.com", "Max Power"),
                row("C7", "ann@example.com", null), row("C9", "bo@example.com", "Bo"));
        Dataset<Row> orders = Frames.of(spark, WorklistFixtures.ORDERS,
                // before the 365-day window
                row("o1", "C1", ts("2024-03-31T12:00:00Z"), money("99.00"), null),
                row("o2", "C1", ts("2024-06-01T00:00:00Z"), money("39.00"), null),
                row("o3", "C1", ts("2025-01-10T00:00:00Z"), money("20.50"), null),
                row("o4", "C1", ts("2025-01-11T00:00:00Z"), money("80.00"), ts("2025-01-12T00:00:00Z")),
                row("o5", "C1", ts("2025-04-02T00:00:00Z"), money("15.00"), null));
        value = CustomerValue.apply(orders, END, 365);
        listed = new HashMap<>();
        Dataset<Row> out = WinbackWorklist.apply(attempts, subscriptions, tickets, customers, value, END,
                Settings.defaults().campaigns());
        assertThat(out.columns()).containsExactlyElementsOf(COLUMNS);
        for (Row r : out.collectAsList()) {
            assertThat(listed.put(r.getAs(CUSTOMER_ID), r)).as("one row per customer").isNull();
        }
    }

    @Test
    void listsExactlyThoseStillUnpaidWhenDunningEnded() {
        assertThat(listed.keySet()).containsExactlyInAnyOrder("C1", "C4", "C7", "C9");
    }

    @Test
    void aRowCarriesTheFailedRenewalItsValueAndContactDetails() {
        Row c1 = listed.get("C1");
        assertThat(c1.<String>getAs(INVOICE_ID)).isEqualTo("i1");
        assertThat(c1.<String>getAs(SUBSCRIPTION_ID)).isEqualTo("sC1");
        assertThat(c1.<Timestamp>getAs(FAILED_AT)).isEqualTo(ts("2025-03-18T06:00:00Z"));
        assertThat(c1.<Timestamp>getAs(DUNNING_ENDED_AT)).isEqualTo(ts("2025-03-30T06:00:00Z"));
        assertThat(c1.<BigDecimal>getAs(AMOUNT_DUE)).isEqualTo(money("39.00"));
        // 39.00 + 20.50: the cancelled order, the one before the window and the one after as-of do not count
        assertThat(c1.<BigDecimal>getAs(CUSTOMER_VALUE)).isEqualTo(money("59.50"));
        assertThat(c1.<String>getAs(EMAIL)).isEqualTo("jane@example.com");
        assertThat(c1.<String>getAs(NAME)).isEqualTo("Jane Doe");
        assertThat(c1.<String>getAs(LAST_TICKET_ID)).isEqualTo("t2");
        assertThat(c1.<Timestamp>getAs(LAST_TICKET_CREATED_AT)).isEqualTo(ts("2025-03-25T09:00:00Z"));
        assertThat(c1.<String>getAs(LAST_TICKET_STATUS)).isEqualTo("open");
        assertThat(c1.<Boolean>getAs(ALREADY_CONTACTED)).isFalse();
        assertThat(c1.isNullAt(c1.fieldIndex(WINBACK_TICKET_AT))).isTrue();
        assertThat(c1.<java.sql.Date>getAs(AS_OF).toLocalDate()).isEqualTo(LocalDate.parse("2025-03-31"));
    }

    @Test
    void aContactedCustomerStaysOnTheListDuringTheFollowUpWindow() {
        Row c4 = listed.get("C4");
        assertThat(c4.<Boolean>getAs(ALREADY_CONTACTED)).isTrue();
        assertThat(c4.<Timestamp>getAs(WINBACK_TICKET_AT)).isEqualTo(ts("2025-03-20T10:00:00Z"));
        assertThat(c4.<String>getAs(LAST_TICKET_ID)).isEqualTo("t4");
        // no orders in the window: value 0, not null
        assertThat(c4.<BigDecimal>getAs(CUSTOMER_VALUE)).isEqualTo(money("0.00"));
    }

    @Test
    void aWinbackTicketBeforeTheFailureIsNotAContact() {
        assertThat(listed.get("C9").<Boolean>getAs(ALREADY_CONTACTED)).isFalse();
        assertThat(listed.get("C9").<String>getAs(LAST_TICKET_ID)).isEqualTo("t6");
    }

    @Test
    void customerValueCountsNonCancelledOrdersInTheWindowUpToAsOf() {
        List<Row> rows = value.collectAsList();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).<BigDecimal>getAs(CustomerValue.VALUE)).isEqualTo(money("59.50"));
    }
}
