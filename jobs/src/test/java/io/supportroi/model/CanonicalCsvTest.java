package io.supportroi.model;

import io.supportroi.config.Settings;
import io.supportroi.ingest.LandingSource;
import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The canonical CSV formats of docs/formats.md: the example files under docs/examples parse without a quarantined row
 * and give the silver rows the document describes; optional columns may be missing; each check refuses what it
 * should, with a reason that names the column and the value.
 */
@ExtendWith(SparkTest.class)
class CanonicalCsvTest {
    private static final Path EXAMPLES = Path.of(System.getProperty("user.dir")).getParent().resolve("docs/examples");
    private static final Settings SETTINGS = SparkTest.settings();

    private static BronzeTables bronze;
    private static Dataset<Row> identities;

    @BeforeAll
    static void readExamples(SparkSession spark) throws IOException {
        bronze = BronzeTables.of(spark, Map.of(
                LandingSource.CSV_TICKETS, example(spark, LandingSource.CSV_TICKETS, "tickets.csv"),
                LandingSource.CSV_ORDERS, example(spark, LandingSource.CSV_ORDERS, "orders.csv"),
                LandingSource.CSV_BILLING, example(spark, LandingSource.CSV_BILLING, "billing.csv")));
        identities = CustomerIdentities.apply(CustomerIdentities.observations(bronze, SETTINGS.identity())).cache();
    }

    private static Dataset<Row> example(SparkSession spark, LandingSource source, String name) throws IOException {
        String text = Files.readString(EXAMPLES.resolve(name));
        assertThat(BronzeFiles.reasons(spark, source, text)).as(name).containsOnlyNulls();
        return BronzeFiles.of(spark, source, name, "run-1", "2025-04-01T00:00:00Z", text);
    }

    @Test
    void exampleTickets() {
        Dataset<Row> t = Tickets.fromCsv(bronze.get(LandingSource.CSV_TICKETS), identities, SETTINGS);
        assertThat(Frames.sortedRows(t.select(Tickets.TICKET_ID, Tickets.STATUS, Tickets.CHANNEL, Tickets.CREATED_AT,
                        Tickets.FIRST_RESPONSE_SECONDS, Tickets.RESOLUTION_HOURS, Tickets.AGENT_REPLIES, Tickets.REOPENS,
                        Tickets.CSAT, Tickets.TAGS, Tickets.HANDLE_SECONDS, Tickets.AGENT_ID)))
                .containsExactly(
                        "[csv:FD-1001,solved,email,2025-03-20 10:00:00.0,240.0,3.0,2,0,1,ArraySeq(shipping, vip),420.0,alice@shop.test]",
                        "[csv:FD-1002,open,chat,2025-03-21 07:15:00.0,95.0,null,1,0,null,ArraySeq(),null,bob@shop.test]",
                        "[csv:FD-1003,closed,phone,2025-03-22 09:00:00.0,30.0,48.0,3,1,0,ArraySeq(refund),1260.5,alice@shop.test]");
        assertThat(t.select(Tickets.CUSTOMER_ID).distinct().count()).isEqualTo(2);
    }

    @Test
    void exampleOrdersLinesAndRefunds() {
        Dataset<Row> versions = Orders.csvVersions(bronze.get(LandingSource.CSV_ORDERS));
        Dataset<Row> lines = OrderLines.fromCsv(versions);
        Dataset<Row> orders = Orders.fromCsv(versions, lines, identities, SETTINGS);
        assertThat(Frames.sortedRows(orders.select(Orders.ORDER_ID, Orders.ORDERED_AT, Orders.CURRENCY, Orders.TOTAL,
                        Orders.DISCOUNT_CODES, Orders.CANCELLED_AT, Orders.FINANCIAL_STATUS)))
                .containsExactly(
                        // no total in the file: 42.90 + 2 x 6.50 - 4.29
                        "[csv:W-2001,2025-03-25 10:00:00.0,EUR,51.61,ArraySeq(ALICE10),null,partially_refunded]",
                        "[csv:W-2002,2025-03-26 15:30:00.0,EUR,12.50,ArraySeq(),2025-03-27 08:00:00.0,voided]");
        assertThat(Frames.sortedRows(lines)).containsExactly("[csv:W-2001,1,1,BOX-MONTHLY,1,42.90]",
                "[csv:W-2001,2,2,ADD-SNACK,2,6.50]", "[csv:W-2002,1,1,ADD-MUG,1,12.50]");
        assertThat(Frames.sortedRows(Refunds.fromCsv(versions, orders).select(Refunds.REFUND_ID, Refunds.ORDER_ID,
                        Refunds.REFUNDED_AT, Refunds.AMOUNT, Refunds.CURRENCY)))
                .containsExactly("[csv:W-2001:RF-1,csv:W-2001,2025-03-28 09:00:00.0,6.50,EUR]");
    }

    @Test
    void exampleBilling() {
        assertThat(Frames.sortedRows(Subscriptions.fromCsv(bronze.get(LandingSource.CSV_BILLING), identities, SETTINGS)
                        .select(Subscriptions.SUBSCRIPTION_ID, Subscriptions.STARTED_AT, Subscriptions.ENDED_AT,
                                Subscriptions.END_REASON)))
                .containsExactly("[csv:SUB-7,2025-01-15 10:00:00.0,null,null]",
                        "[csv:SUB-8,2025-02-01 09:00:00.0,2025-03-13 06:00:00.0,payment_failed]");
        assertThat(Frames.sortedRows(RenewalAttempts.apply(bronze, bronze.spark().createDataFrame(
                                java.util.List.of(), LandingSource.STRIPE_EVENTS.bronzeSchema()), identities, SETTINGS)
                        .select(RenewalAttempts.INVOICE_ID, RenewalAttempts.ATTEMPT, RenewalAttempts.OUTCOME,
                                RenewalAttempts.AMOUNT, RenewalAttempts.CURRENCY, RenewalAttempts.INVOICE_OUTCOME)))
                .containsExactly("[csv:INV-71,1,failed,39.00,EUR,recovered_by_dunning]",
                        "[csv:INV-71,2,paid,39.00,EUR,recovered_by_dunning]",
                        // failed on 03-01, the data's last attempt: its dunning window is still open
                        "[csv:INV-81,1,failed,39.00,EUR,pending]");
    }

    @Test
    void twoRowsEndingASubscriptionAtOnceGiveOneReasonInEitherOrder(SparkSession spark) {
        String header = "subscription_id,customer_id,started_at,ended_at,end_reason\n";
        String voluntary = "SUB-9,C-9,2025-01-01T00:00:00Z,2025-03-01T00:00:00Z,voluntary\n";
        String failed = "SUB-9,C-9,2025-01-01T00:00:00Z,2025-03-01T00:00:00Z,payment_failed\n";
        String noReason = "SUB-9,C-9,2025-01-01T00:00:00Z,2025-03-01T00:00:00Z,\n";
        List<String> reasons = new ArrayList<>();
        for (String rows : List.of(failed + noReason, noReason + failed, voluntary + failed, failed + voluntary)) {
            Dataset<Row> billing = BronzeFiles.of(spark, LandingSource.CSV_BILLING, "b.csv", "r",
                    "2025-04-01T00:00:00Z", header + rows);
            reasons.add(Subscriptions.fromCsv(billing, identities, SETTINGS).head()
                    .getAs(Subscriptions.END_REASON));
        }
        // a stated reason over none, then the greater one: the same whatever order the rows were read in
        assertThat(reasons).containsExactly("payment_failed", "payment_failed", "voluntary", "voluntary");
    }

    @Test
    void onlyTheRequiredColumnsAreNeeded(SparkSession spark) {
        Dataset<Row> minimal = BronzeFiles.of(spark, LandingSource.CSV_TICKETS, "t.csv", "r", "2025-04-01T00:00:00Z",
                "ticket_id,created_at\nT-9,2025-03-01T00:00:00Z\n");
        Row t = Tickets.fromCsv(minimal, identities, SETTINGS).head();
        assertThat(t.<String>getAs(Tickets.TICKET_ID)).isEqualTo("csv:T-9");
        assertThat(t.<String>getAs(Tickets.CHANNEL)).isEqualTo("other");
        assertThat(t.isNullAt(t.fieldIndex(Tickets.CUSTOMER_ID))).isTrue();
        assertThat(t.isNullAt(t.fieldIndex(Tickets.HANDLE_SECONDS))).isTrue();
        assertThat(t.isNullAt(t.fieldIndex(Tickets.RESOLUTION_HOURS))).isTrue();
        Dataset<Row> order = BronzeFiles.of(spark, LandingSource.CSV_ORDERS, "o.csv", "r", "2025-04-01T00:00:00Z",
                "order_id,ordered_at,total\nO-9,2025-03-01T00:00:00Z,10\n");
        Dataset<Row> versions = Orders.csvVersions(order);
        assertThat(Frames.sortedRows(Orders.fromCsv(versions, OrderLines.fromCsv(versions), identities, SETTINGS)
                .select(Orders.ORDER_ID, Orders.TOTAL, Orders.CUSTOMER_ID))).containsExactly("[csv:O-9,10.00,null]");
    }

    @Test
    void checksRefuseWhatTheFormatDoesNotAllow(SparkSession spark) {
        assertThat(BronzeFiles.reasons(spark, LandingSource.CSV_TICKETS,
                "ticket_id,created_at,csat,handle_seconds,agent_replies\n"
                        + "A,2025-03-01T00:00:00Z,maybe,,\n"
                        + "B,2025-03-01T00:00:00Z,,-5,\n"
                        + "C,2025-03-01T00:00:00Z,,,1.5\n"
                        + ",2025-03-01T00:00:00Z,,,\n"
                        + "E,2025-03-01T00:00:00Z,GOOD,12,3\n"
                        + "F,2025-03-01\n"))
                .containsExactly("csat must be one of 1, 0, good, bad: maybe",
                        "not a non-negative number in handle_seconds: -5",
                        "not a whole number >= 0 in agent_replies: 1.5",
                        "missing required field ticket_id",
                        null,
                        "has 2 fields, header has 5");
        assertThat(BronzeFiles.reasons(spark, LandingSource.CSV_ORDERS,
                "order_id,ordered_at,sku,quantity,refund_amount,refunded_at\n"
                        + "A,2025-03-01T00:00:00Z,,2,,\n"
                        + "B,2025-03-01T00:00:00Z,,,5.00,\n"
                        + "C,2025-03-01T00:00:00Z,BOX,1,5.00,2025-03-02T00:00:00Z\n"))
                .containsExactly("quantity given without sku: 2", "refund_amount given without refunded_at: 5.00", null);
        assertThat(BronzeFiles.reasons(spark, LandingSource.CSV_BILLING,
                "subscription_id,invoice_id,attempted_at,attempt,outcome,amount\n"
                        + "S,,,,paid,\n"
                        + "S,I,2025-03-01T00:00:00Z,0,failed,\n"
                        + "S,I,2025-03-01T00:00:00Z,1,failed,3900c\n"
                        + "S,I,2025-03-01T00:00:00Z,1,Paid,39\n"))
                .containsExactly("outcome given without invoice_id: paid", "not a whole number >= 1 in attempt: 0",
                        "not an amount >= 0 in amount: 3900c", null);
    }

    @Test
    void aReSentOrderReplacesItsLinesAndRefunds(SparkSession spark) {
        String header = "order_id,ordered_at,updated_at,sku,quantity,unit_price,refund_amount,refunded_at\n";
        Dataset<Row> first = BronzeFiles.of(spark, LandingSource.CSV_ORDERS, "a.csv", "r1", "2025-04-01T00:00:00Z",
                header + "O,2025-03-01T00:00:00Z,2025-03-01T00:00:00Z,BOX,1,40,,\n"
                        + "O,2025-03-01T00:00:00Z,2025-03-01T00:00:00Z,MUG,1,10,,\n");
        Dataset<Row> second = BronzeFiles.of(spark, LandingSource.CSV_ORDERS, "b.csv", "r2", "2025-04-02T00:00:00Z",
                header + "O,2025-03-01T00:00:00Z,2025-03-05T00:00:00Z,BOX,1,40,4.00,2025-03-05T00:00:00Z\n");
        Dataset<Row> versions = Orders.csvVersions(first.unionByName(second));
        assertThat(Frames.sortedRows(OrderLines.fromCsv(versions).select(OrderLines.SKU)))
                .containsExactly("[BOX]");
        assertThat(Frames.sortedRows(Orders.fromCsv(versions, OrderLines.fromCsv(versions), identities, SETTINGS)
                .select(Orders.TOTAL))).containsExactly("[40.00]");
        assertThat(Refunds.fromCsv(versions, Orders.fromCsv(versions, OrderLines.fromCsv(versions), identities,
                SETTINGS)).filter(col(Refunds.AMOUNT).equalTo(4)).count()).isEqualTo(1);
    }
}
