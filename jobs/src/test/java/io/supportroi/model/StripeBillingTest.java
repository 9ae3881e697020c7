package io.supportroi.model;

import io.supportroi.ingest.LandingSource;
import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.supportroi.testing.Frames.row;
import static io.supportroi.testing.Frames.ts;
import static org.assertj.core.api.Assertions.assertThat;

/** Renewal outcomes at the edges of the dunning window, and Stripe refunds that must not count twice. */
@ExtendWith(SparkTest.class)
class StripeBillingTest {
    private static final String ATTEMPTS = "subscription_id STRING, customer_id STRING, invoice_id STRING, "
            + "attempted_at TIMESTAMP, attempt INT, amount DECIMAL(18,2), currency STRING, outcome STRING, source STRING";

    @Test
    void invoiceOutcomesAroundTheDunningWindow(SparkSession spark) {
        Dataset<Row> attempts = Frames.of(spark, ATTEMPTS,
                // paid exactly when the 12-day window ends: still dunning's success
                row("s", "c", "edge", ts("2025-01-01T00:00:00Z"), 1, null, null, "failed", "stripe"),
                row("s", "c", "edge", ts("2025-01-13T00:00:00Z"), 2, null, null, "paid", "stripe"),
                // paid a second later
                row("s", "c", "late", ts("2025-01-01T00:00:00Z"), 1, null, null, "failed", "stripe"),
                row("s", "c", "late", ts("2025-01-13T00:00:01Z"), 2, null, null, "paid", "stripe"),
                // unpaid, window over by the data's last attempt (02-01)
                row("s", "c", "lost", ts("2025-01-10T00:00:00Z"), 1, null, null, "failed", "stripe"),
                // unpaid, window still open on 02-01
                row("s", "c", "open", ts("2025-01-25T00:00:00Z"), 1, null, null, "failed", "stripe"),
                row("s", "c", "open", ts("2025-01-27T00:00:00Z"), 2, null, null, "failed", "stripe"),
                // never failed
                row("s", "c", "fine", ts("2025-02-01T00:00:00Z"), 1, null, null, "paid", "stripe"));
        assertThat(Frames.sortedRows(RenewalAttempts.withInvoiceOutcome(attempts, 12)
                        .select(RenewalAttempts.INVOICE_ID, RenewalAttempts.FIRST_FAILED_AT, RenewalAttempts.PAID_AT,
                                RenewalAttempts.INVOICE_OUTCOME).distinct()))
                .containsExactly(
                        "[edge,2025-01-01 00:00:00.0,2025-01-13 00:00:00.0,recovered_by_dunning]",
                        "[fine,null,2025-02-01 00:00:00.0,paid]",
                        "[late,2025-01-01 00:00:00.0,2025-01-13 00:00:01.0,recovered_after_dunning]",
                        "[lost,2025-01-10 00:00:00.0,null,unrecovered]",
                        "[open,2025-01-25 00:00:00.0,null,pending]");
    }

    @Test
    void listedRefundsCountOnceAndFailedOnesNot(SparkSession spark) {
        String events = String.join("\n",
                // the first event of the charge lists nothing, later ones list the refunds: the list decides
                "{\"id\":\"e1\",\"type\":\"charge.refunded\",\"created\":1740000000,\"data\":{\"object\":{\"id\":\"ch\","
                        + "\"customer\":\"cus\",\"amount_refunded\":500,\"currency\":\"usd\"}}}",
                "{\"id\":\"e2\",\"type\":\"charge.refunded\",\"created\":1740000100,\"data\":{\"object\":{\"id\":\"ch\","
                        + "\"customer\":\"cus\",\"amount_refunded\":900,\"currency\":\"usd\",\"refunds\":{\"data\":["
                        + "{\"id\":\"re_a\",\"amount\":500,\"created\":1740000000,\"status\":\"succeeded\"},"
                        + "{\"id\":\"re_b\",\"amount\":400,\"created\":1740000100,\"status\":\"succeeded\"},"
                        + "{\"id\":\"re_x\",\"amount\":999,\"created\":1740000050,\"status\":\"failed\"}]}}}}",
                "{\"id\":\"e3\",\"type\":\"charge.refunded\",\"created\":1740000200,\"data\":{\"object\":{\"id\":\"ch\","
                        + "\"customer\":\"cus\",\"amount_refunded\":900,\"currency\":\"usd\",\"refunds\":{\"data\":["
                        + "{\"id\":\"re_b\",\"amount\":400,\"created\":1740000100,\"status\":\"succeeded\"},"
                        + "{\"id\":\"re_a\",\"amount\":500,\"created\":1740000000,\"status\":\"succeeded\"}]}}}}",
                // an empty list is no list: cumulative amounts, 300 then 300 again (a replay) then 1000
                "{\"id\":\"e4\",\"type\":\"charge.refunded\",\"created\":1740000000,\"data\":{\"object\":{\"id\":\"ch2\","
                        + "\"amount_refunded\":300,\"currency\":\"eur\",\"refunds\":{\"data\":[]}}}}",
                "{\"id\":\"e6\",\"type\":\"charge.refunded\",\"created\":1740000900,\"data\":{\"object\":{\"id\":\"ch2\","
                        + "\"amount_refunded\":1000,\"currency\":\"eur\"}}}",
                "{\"id\":\"e5\",\"type\":\"charge.refunded\",\"created\":1740000500,\"data\":{\"object\":{\"id\":\"ch2\","
                        + "\"amount_refunded\":300,\"currency\":\"eur\"}}}");
        Dataset<Row> bronze = BronzeFiles.of(spark, LandingSource.STRIPE_EVENTS, "e.jsonl", "r", "2025-03-01T00:00:00Z",
                events);
        Dataset<Row> identities = Frames.of(spark, "source STRING, source_id STRING, customer_id STRING",
                row("stripe", "cus", "c_1"));
        assertThat(Frames.sortedRows(Refunds.fromStripe(Subscriptions.distinctEvents(bronze), identities)
                        .select(Refunds.REFUND_ID, Refunds.CUSTOMER_ID, Refunds.AMOUNT, Refunds.CURRENCY)))
                .containsExactly("[stripe:ch2:e4,null,3.00,EUR]", "[stripe:ch2:e6,null,7.00,EUR]",
                        "[stripe:re_a,c_1,5.00,USD]", "[stripe:re_b,c_1,4.00,USD]");
    }
}
