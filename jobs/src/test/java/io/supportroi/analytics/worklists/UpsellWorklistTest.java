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

import static io.supportroi.analytics.worklists.UpsellWorklist.*;
import static io.supportroi.testing.Frames.money;
import static io.supportroi.testing.Frames.row;
import static io.supportroi.testing.Frames.ts;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(SparkTest.class)
class UpsellWorklistTest {
    static final Timestamp END = AsOf.endOfDay(LocalDate.parse("2025-03-20"));

    private static Dataset<Row> subscriptions;
    private static Dataset<Row> tickets;
    private static Dataset<Row> customers;
    private static Dataset<Row> value;

    @BeforeAll
    static void fixtures(SparkSession spark) {
        subscriptions = Frames.of(spark, WorklistFixtures.SUBSCRIPTIONS,
                // signed up after the 15th, not contacted: listed
                row("s1", "U1", ts("2025-03-16T10:00:00Z"), null, null),
                // contacted with a welcome-upsell ticket
                row("s2", "U2", ts("2025-03-17T10:00:00Z"), null, null),
                // before the cut-off: the sign-up buys this month's box
                row("s3", "U3", ts("2025-03-10T10:00:00Z"), null, null),
                // on the cut-off day itself: after it
                row("s4", "U4", ts("2025-03-15T00:00:00Z"), null, null),
                // last month's late sign-up: the box they missed shipped on 03-15
                row("s5", "U5", ts("2025-02-20T10:00:00Z"), null, null),
                // already cancelled
                row("s6", "U6", ts("2025-03-18T10:00:00Z"), ts("2025-03-19T10:00:00Z"), "voluntary"),
                // signs up after as-of
                row("s7", "U7", ts("2025-03-21T10:00:00Z"), null, null),
                // a returning customer, not a new subscriber
                row("s8a", "U8", ts("2024-05-01T10:00:00Z"), ts("2024-09-15T10:00:00Z"), "voluntary"),
                row("s8b", "U8", ts("2025-03-16T10:00:00Z"), null, null),
                // contacted only after as-of: as of 03-20, still to contact
                row("s9", "U9", ts("2025-03-18T10:00:00Z"), null, null));
        tickets = Frames.of(spark, WorklistFixtures.TICKETS,
                row("t2", "U2", "a@x", "email", "solved", ts("2025-03-18T09:00:00Z"), ts("2025-03-18T10:00:00Z"), 1.0,
                        List.of("welcome-upsell"), "upsell"),
                row("t9", "U9", "a@x", "email", "open", ts("2025-03-22T09:00:00Z"), null, null,
                        List.of("welcome-upsell"), "upsell"),
                // a reactive ticket is not the outreach
                row("t1", "U1", "a@x", "chat", "open", ts("2025-03-17T09:00:00Z"), null, null, List.of("shipping"), null));
        customers = Frames.of(spark, WorklistFixtures.CUSTOMERS,
                row("U1", "u1@example.com", "Una One"), row("U4", "u4@example.com", "Ulf Four"));
        value = Frames.of(spark, WorklistFixtures.VALUES, row("U1", money("45.00")));
    }

    private static Map<String, Row> list(Settings.WorklistSettings settings) {
        Dataset<Row> out = UpsellWorklist.apply(subscriptions, tickets, customers, value, END, settings);
        assertThat(out.columns()).containsExactlyElementsOf(COLUMNS);
        Map<String, Row> byCustomer = new HashMap<>();
        for (Row r : out.collectAsList()) {
            assertThat(byCustomer.put(r.getAs(CUSTOMER_ID), r)).as("one row per customer").isNull();
        }
        return byCustomer;
    }

    @Test
    void listsNewSubscribersAfterTheCutOffNotYetContacted() {
        Map<String, Row> listed = list(Settings.defaults().worklists());
        assertThat(listed.keySet()).containsExactlyInAnyOrder("U1", "U4", "U9");
        Row u1 = listed.get("U1");
        assertThat(u1.<String>getAs(EMAIL)).isEqualTo("u1@example.com");
        assertThat(u1.<String>getAs(NAME)).isEqualTo("Una One");
        assertThat(u1.<String>getAs(SUBSCRIPTION_ID)).isEqualTo("s1");
        assertThat(u1.<Timestamp>getAs(SIGNED_UP_AT)).isEqualTo(ts("2025-03-16T10:00:00Z"));
        assertThat(u1.<java.sql.Date>getAs(UPCOMING_BOX_CUTOFF).toLocalDate()).isEqualTo(LocalDate.parse("2025-04-15"));
        assertThat(u1.<java.sql.Date>getAs(FIRST_RENEWAL_EXPECTED).toLocalDate()).isEqualTo(LocalDate.parse("2025-05-15"));
        assertThat(u1.<Boolean>getAs(CONTACTED)).isFalse();
        assertThat(u1.<BigDecimal>getAs(CUSTOMER_VALUE)).isEqualTo(money("45.00"));
        assertThat(listed.get("U4").<BigDecimal>getAs(CUSTOMER_VALUE)).isEqualTo(money("0.00"));
        assertThat(listed.get("U9").isNullAt(listed.get("U9").fieldIndex(EMAIL))).isTrue();
    }

    @Test
    void theCutOffDayComesFromConfig() {
        Map<String, Row> listed = list(new Settings.WorklistSettings(10, 365, 50));
        // U3 signed up on the 10th: after a cut-off on the 10th
        assertThat(listed.keySet()).containsExactlyInAnyOrder("U1", "U3", "U4", "U9");
        assertThat(listed.get("U3").<java.sql.Date>getAs(UPCOMING_BOX_CUTOFF).toLocalDate())
                .isEqualTo(LocalDate.parse("2025-04-10"));
        assertThat(listed.get("U3").<java.sql.Date>getAs(FIRST_RENEWAL_EXPECTED).toLocalDate())
                .isEqualTo(LocalDate.parse("2025-05-10"));
    }
}
