package io.supportroi.analytics.worklists;

import io.supportroi.analytics.AgentVsChurn;
import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.supportroi.testing.Frames.row;
import static io.supportroi.testing.Frames.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@ExtendWith(SparkTest.class)
class ChurnRiskTest {
    static final String TRAINING = "ticket_id STRING, customer_id STRING, agent_id STRING, channel STRING, "
            + "tags ARRAY<STRING>, created_at TIMESTAMP, churn BOOLEAN, tenure_days INT, prior_tickets INT, "
            + "prior_failed_payments BIGINT";

    private static Dataset<Row> open(SparkSession spark) {
        return Frames.of(spark, WorklistFixtures.TICKETS,
                row("o1", "RISKY", "a@x", "email", "open", ts("2025-03-30T00:00:00Z"), null, null, List.of(), null),
                row("o2", "SAFE", "a@x", "email", "open", ts("2025-03-30T00:00:00Z"), null, null, List.of(), null));
    }

    private static Map<String, Double> score(SparkSession spark, Dataset<Row> training) {
        Dataset<Row> all = open(spark).unionByName(Frames.of(spark, WorklistFixtures.TICKETS,
                row("p1", "RISKY", "a@x", "email", "solved", ts("2025-01-01T00:00:00Z"), ts("2025-01-02T00:00:00Z"),
                        24.0, List.of(), null)));
        Dataset<Row> subs = Frames.of(spark, WorklistFixtures.SUBSCRIPTIONS,
                row("s1", "RISKY", ts("2024-12-01T00:00:00Z"), null, null),
                row("s2", "SAFE", ts("2024-12-01T00:00:00Z"), null, null));
        Dataset<Row> failed = Frames.of(spark, "customer_id STRING, attempted_at TIMESTAMP",
                row("RISKY", ts("2025-02-15T00:00:00Z")), row("RISKY", ts("2025-03-15T00:00:00Z")),
                // after the ticket: not known when it was opened
                row("SAFE", ts("2025-03-31T00:00:00Z")));
        Map<String, Double> out = new HashMap<>();
        for (Row r : ChurnRisk.apply(open(spark), all, subs, failed, training).collectAsList()) {
            out.put(r.getAs(ChurnRisk.TICKET_ID), r.getAs(ChurnRisk.CHURN_RISK));
        }
        return out;
    }

    @Test
    void featuresOfOpenTicketsAreWhatWasKnownWhenTheyWereOpened(SparkSession spark) {
        Dataset<Row> all = open(spark);
        Dataset<Row> subs = Frames.of(spark, WorklistFixtures.SUBSCRIPTIONS,
                row("s1", "RISKY", ts("2025-03-20T00:00:00Z"), null, null));
        Dataset<Row> failed = Frames.of(spark, "customer_id STRING, attempted_at TIMESTAMP",
                row("RISKY", ts("2025-03-25T00:00:00Z")), row("SAFE", ts("2025-03-31T00:00:00Z")));
        Map<String, Row> f = new HashMap<>();
        for (Row r : ChurnRisk.features(all, all, subs, failed).collectAsList()) {
            f.put(r.getAs(ChurnRisk.TICKET_ID), r);
        }
        assertThat(f.get("o1").<Integer>getAs(AgentVsChurn.TENURE_DAYS)).isEqualTo(10);
        assertThat(f.get("o1").<Long>getAs(AgentVsChurn.PRIOR_FAILED_PAYMENTS)).isEqualTo(1L);
        // never subscribed: tenure 0; a failure after the ticket does not count
        assertThat(f.get("o2").<Integer>getAs(AgentVsChurn.TENURE_DAYS)).isZero();
        assertThat(f.get("o2").<Long>getAs(AgentVsChurn.PRIOR_FAILED_PAYMENTS)).isZero();
        assertThat(f.get("o2").<Integer>getAs(AgentVsChurn.PRIOR_TICKETS)).isZero();
    }

    @Test
    void theFittedModelScoresCustomersWithFailedPaymentsRiskier(SparkSession spark) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            boolean failedBefore = i % 2 == 0;
            // churn follows failed payments, with a little noise either way
            boolean churn = failedBefore ? i % 10 != 0 : i % 10 == 1;
            rows.add(row("k" + i, "c" + i, "a@x", "email", List.of(), ts("2025-01-01T00:00:00Z"), churn, 100, 1,
                    failedBefore ? 2L : 0L));
        }
        Map<String, Double> risk = score(spark, Frames.of(spark, TRAINING, rows.toArray(Object[][]::new)));
        assertThat(risk.keySet()).containsExactlyInAnyOrder("o1", "o2");
        assertThat(risk.get("o1")).isBetween(0.0, 1.0);
        assertThat(risk.get("o2")).isBetween(0.0, 1.0);
        assertThat(risk.get("o1")).isGreaterThan(risk.get("o2") + 0.3);
    }

    @Test
    void withoutBothOutcomesEveryTicketGetsTheObservedRate(SparkSession spark) {
        Dataset<Row> allChurned = Frames.of(spark, TRAINING,
                row("k1", "c1", "a@x", "email", List.of(), ts("2025-01-01T00:00:00Z"), true, 100, 1, 0L),
                row("k2", "c2", "a@x", "chat", List.of(), ts("2025-01-01T00:00:00Z"), true, 10, 0, 1L));
        Map<String, Double> risk = score(spark, allChurned);
        assertThat(risk).containsOnlyKeys("o1", "o2");
        assertThat(risk.get("o1")).isCloseTo(1.0, within(1e-12));
        assertThat(risk.get("o2")).isCloseTo(1.0, within(1e-12));
        Map<String, Double> noHistory = score(spark, Frames.of(spark, TRAINING));
        assertThat(noHistory.get("o2")).isCloseTo(0.0, within(1e-12));
    }
}
