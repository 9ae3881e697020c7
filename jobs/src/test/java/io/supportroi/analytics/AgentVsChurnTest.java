package io.supportroi.analytics;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.supportroi.analytics.AgentVsChurn.*;
import static io.supportroi.testing.Frames.money;
import static io.supportroi.testing.Frames.row;
import static io.supportroi.testing.Frames.ts;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@ExtendWith(SparkTest.class)
class AgentVsChurnTest {
    static final String TICKETS_DDL = "ticket_id STRING, customer_id STRING, agent_id STRING, channel STRING, "
            + "created_at TIMESTAMP, resolution_hours DOUBLE, csat INT, tags ARRAY<STRING>, campaign STRING";
    static final String SUBS_DDL = "customer_id STRING, started_at TIMESTAMP, ended_at TIMESTAMP";
    static final Settings.AnalyticsSettings SETTINGS;

    static {
        Settings.AnalyticsSettings d = Settings.defaults().analytics();
        SETTINGS = new Settings.AnalyticsSettings(d.retentionHorizonDays(), d.speedBucketBoundsHours(), d.wilsonZ(),
                60, 2);
    }

    private static Map<String, Row> labelled;
    private static Map<String, Row> agents;

    @BeforeAll
    static void compute(SparkSession spark) {
        Dataset<Row> tickets = Frames.of(spark, TICKETS_DDL,
                // C1's subscription ends 02-15, inside both windows, and nothing is active after: churn twice
                row("k1", "C1", "bob@x", "email", ts("2025-01-10T00:00:00Z"), 1.0, 1, List.of(), null),
                row("k2", "C1", "alice@x", "chat", ts("2025-02-01T00:00:00Z"), 1.0, 0, List.of("billing"), null),
                // C2 ends 02-15 but resubscribes 03-01: active at the window's end, not churned
                row("k3", "C2", "alice@x", "email", ts("2025-02-01T00:00:00Z"), 1.0, 1, List.of(), null),
                // C3 ends 05-01, after the window
                row("k4", "C3", "alice@x", "email", ts("2025-02-01T00:00:00Z"), 1.0, null, List.of(), null),
                // never subscribed / nothing active at the ticket / window not over / not solved: not eligible
                row("k5", "C4", "alice@x", "email", ts("2025-02-01T00:00:00Z"), 1.0, null, List.of(), null),
                row("k6", "C5", "alice@x", "email", ts("2025-02-01T00:00:00Z"), 1.0, null, List.of(), null),
                row("k7", "C6", "alice@x", "email", ts("2025-11-15T00:00:00Z"), 1.0, null, List.of(), null),
                row("k8", "C3", "bob@x", "email", ts("2025-03-01T00:00:00Z"), null, null, List.of("welcome-upsell"), "upsell"),
                row("k9", "C2", "bob@x", "email", ts("2025-06-01T00:00:00Z"), null, null, List.of("welcome-upsell"), "upsell"));
        Dataset<Row> subs = Frames.of(spark, SUBS_DDL,
                row("C1", ts("2024-12-01T00:00:00Z"), ts("2025-02-15T00:00:00Z")),
                row("C2", ts("2024-12-01T00:00:00Z"), ts("2025-02-15T00:00:00Z")),
                row("C2", ts("2025-03-01T00:00:00Z"), null),
                row("C3", ts("2024-12-01T00:00:00Z"), ts("2025-05-01T00:00:00Z")),
                row("C5", ts("2024-12-01T00:00:00Z"), ts("2025-01-15T00:00:00Z")),
                row("C6", ts("2024-12-01T00:00:00Z"), null));
        Dataset<Row> failed = Frames.of(spark, "customer_id STRING, attempted_at TIMESTAMP",
                row("C1", ts("2025-01-20T00:00:00Z")));
        Dataset<Row> churn = AgentVsChurn.churnTickets(tickets, subs, failed,
                AsOf.endOfDay(java.time.LocalDate.parse("2025-12-31")), 60);
        labelled = new HashMap<>();
        for (Row r : churn.collectAsList()) {
            labelled.put(r.getAs(io.supportroi.model.Tickets.TICKET_ID), r);
        }
        Dataset<Row> reference = Frames.of(spark, "agent_id STRING, agent_name STRING, discount_code STRING",
                row("alice@x", "Alice", "ALICE10"), row("bob@x", "Bob", "bob5"));
        Dataset<Row> orders = Frames.of(spark, "order_id STRING, customer_id STRING, ordered_at TIMESTAMP, "
                        + "total DECIMAL(18,2), discount_codes ARRAY<STRING>, cancelled_at TIMESTAMP",
                row("o1", "C2", ts("2025-01-05T00:00:00Z"), money("50.00"), List.of("ALICE10"), null),
                // first order after Bob's outreach to C3, but it carries Alice's code: Alice's, once
                row("o2", "C3", ts("2025-03-02T00:00:00Z"), money("40.00"), List.of("ALICE10"), null),
                row("o3", "C3", ts("2025-03-05T00:00:00Z"), money("30.00"), List.of(), null),
                // Bob's outreach to C2 converts with o4
                row("o4", "C2", ts("2025-06-10T00:00:00Z"), money("25.00"), List.of(), null),
                // cancelled orders earn nothing
                row("o5", "C2", ts("2025-07-01T00:00:00Z"), money("99.00"), List.of("BOB5"), ts("2025-07-02T00:00:00Z")));
        Dataset<Row> sales = AgentVsChurn.salesRevenue(orders, tickets, reference, Settings.defaults().campaigns());
        Dataset<Row> scored = churn.withColumn(EXPECTED, lit(0.25));
        agents = new HashMap<>();
        for (Row r : AgentVsChurn.apply(scored, tickets, reference, sales, SETTINGS).collectAsList()) {
            agents.put(r.getAs(AGENT_ID), r);
        }
    }

    @Test
    void churnFollowsTheSpecDefinition() {
        assertThat(labelled.keySet()).containsExactlyInAnyOrder("k1", "k2", "k3", "k4");
        assertThat(labelled.get("k1").<Boolean>getAs(CHURN)).isTrue();
        assertThat(labelled.get("k2").<Boolean>getAs(CHURN)).isTrue();
        assertThat(labelled.get("k3").<Boolean>getAs(CHURN)).isFalse();
        assertThat(labelled.get("k4").<Boolean>getAs(CHURN)).isFalse();
    }

    @Test
    void featuresOnlyUseWhatWasKnownBeforeTheTicket() {
        assertThat(labelled.get("k1").<Long>getAs(PRIOR_FAILED_PAYMENTS)).isZero();
        assertThat(labelled.get("k2").<Long>getAs(PRIOR_FAILED_PAYMENTS)).isEqualTo(1L);
        assertThat(labelled.get("k1").<Integer>getAs(PRIOR_TICKETS)).isZero();
        assertThat(labelled.get("k2").<Integer>getAs(PRIOR_TICKETS)).isEqualTo(1);
        assertThat(labelled.get("k2").<Integer>getAs(TENURE_DAYS)).isEqualTo(62);
    }

    @Test
    void perAgentObservedExpectedAndExcessChurn() {
        Row alice = agents.get("alice@x");
        assertThat(alice.<Long>getAs(TICKETS)).isEqualTo(3L);
        assertThat(alice.<Long>getAs(CUSTOMERS)).isEqualTo(3L);
        assertThat(alice.<Long>getAs(CHURNED)).isEqualTo(1L);
        assertThat(alice.<Double>getAs(CHURN_RATE)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(alice.<Double>getAs(EXPECTED_CHURN_RATE)).isCloseTo(0.25, within(1e-12));
        assertThat(alice.<Double>getAs(EXCESS_CHURN)).isCloseTo(1.0 / 3 - 0.25, within(1e-12));
        // Wilson(1, 3) = [0.0614828..., 0.7923403...], less the expectation
        assertThat(alice.<Double>getAs(CI_LOW)).isCloseTo(0.06149194472039624 - 0.25, within(1e-9));
        assertThat(alice.<Double>getAs(CI_HIGH)).isCloseTo(0.7923403991979523 - 0.25, within(1e-9));
        assertThat(alice.<Double>getAs(CSAT)).isCloseTo(0.5, within(1e-12));
        assertThat(alice.<Boolean>getAs(LOW_VOLUME)).isFalse();
        assertThat(alice.<Integer>getAs(EXCESS_CHURN_RANK)).isEqualTo(1);
        Row bob = agents.get("bob@x");
        assertThat(bob.<Long>getAs(CUSTOMERS)).isEqualTo(1L);
        assertThat(bob.<Boolean>getAs(LOW_VOLUME)).isTrue();
        assertThat(bob.isNullAt(bob.fieldIndex(EXCESS_CHURN_RANK))).isTrue();
        assertThat(bob.<String>getAs(AGENT_NAME)).isEqualTo("Bob");
    }

    @Test
    void salesCountEachOrderOnceWithTheDiscountCodeFirst() {
        assertThat(agents.get("alice@x").<BigDecimal>getAs(SALES_REVENUE)).isEqualByComparingTo("90.00");
        assertThat(agents.get("bob@x").<BigDecimal>getAs(SALES_REVENUE)).isEqualByComparingTo("25.00");
        // neither excess is significantly above zero: full credit
        assertThat(agents.get("alice@x").<BigDecimal>getAs(SALES_CREDIT)).isEqualByComparingTo("90.00");
    }

    @Test
    void anAgentWhoseChurnIsSignificantlyHighGetsNoSalesCredit(SparkSession spark) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            rows.add(row("t" + i, "c" + i, "seller@x", "email", ts("2025-01-01T00:00:00Z"), List.of(), i < 120, 0.2));
        }
        Dataset<Row> scored = Frames.of(spark, "ticket_id STRING, customer_id STRING, agent_id STRING, channel STRING, "
                + "created_at TIMESTAMP, tags ARRAY<STRING>, churn BOOLEAN, expected_churn DOUBLE", rows.toArray(Object[][]::new));
        Dataset<Row> none = Frames.of(spark, TICKETS_DDL);
        Dataset<Row> reference = Frames.of(spark, "agent_id STRING, agent_name STRING, discount_code STRING",
                row("seller@x", "Seller", "SELL"));
        Dataset<Row> sales = Frames.of(spark, "agent_id STRING, sales_revenue DECIMAL(18,2)", row("seller@x", money("1000.00")));
        Row r = AgentVsChurn.apply(scored, none, reference, sales, SETTINGS).head();
        assertThat(r.<Double>getAs(CI_LOW)).isPositive();
        assertThat(r.<BigDecimal>getAs(SALES_REVENUE)).isEqualByComparingTo("1000.00");
        assertThat(r.<BigDecimal>getAs(SALES_CREDIT)).isEqualByComparingTo("0.00");
    }

    @Test
    void theModelExplainsAHardTicketMixSoItsAgentIsNotBlamed(SparkSession spark) {
        // Agent "hard" gets every chat ticket, which churn 60% of the time whoever answers; "easy" gets email at 10%.
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            boolean chat = i % 2 == 0;
            boolean churned = chat ? (i % 10) < 6 : (i % 20) == 1;
            rows.add(row("t" + i, "c" + i, chat ? "hard@x" : "easy@x", chat ? "chat" : "email",
                    List.of(chat ? "damaged" : "question"), ts("2025-01-01T00:00:00Z"), churned, 100, i % 3, 0L));
        }
        Dataset<Row> churn = Frames.of(spark, "ticket_id STRING, customer_id STRING, agent_id STRING, channel STRING, "
                + "tags ARRAY<STRING>, created_at TIMESTAMP, churn BOOLEAN, tenure_days INT, prior_tickets INT, "
                + "prior_failed_payments BIGINT", rows.toArray(Object[][]::new));
        Dataset<Row> scored = AgentVsChurn.withExpectedChurn(churn);
        Map<String, Double> expectedByAgent = new HashMap<>();
        Map<String, Double> observedByAgent = new HashMap<>();
        for (Row r : scored.groupBy(AGENT_ID).agg(org.apache.spark.sql.functions.avg(EXPECTED).as("e"),
                org.apache.spark.sql.functions.avg(col(CHURN).cast("double")).as("o")).collectAsList()) {
            expectedByAgent.put(r.getString(0), r.getDouble(1));
            observedByAgent.put(r.getString(0), r.getDouble(2));
        }
        assertThat(observedByAgent.get("hard@x")).isCloseTo(0.6, within(1e-9));
        assertThat(expectedByAgent.get("hard@x")).isCloseTo(observedByAgent.get("hard@x"), within(0.02));
        assertThat(expectedByAgent.get("easy@x")).isCloseTo(observedByAgent.get("easy@x"), within(0.02));
    }
}
