package io.supportroi.model;

import io.supportroi.config.Settings;
import io.supportroi.ingest.BronzeIngest;
import io.supportroi.ingest.LandingSource;
import io.supportroi.ops.Quarantine;
import io.supportroi.ops.Warehouse;
import io.supportroi.testing.FixtureLanding;
import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.supportroi.testing.Frames.ts;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Small export files written by hand in each real format (fixtures/handwritten), through ingest and silver, with the
 * expected silver rows worked out by hand. Jane is known as " Jane.Doe@Example.com " in Zendesk,
 * "JANE.DOE@example.com" in Shopify, "JANE.DOE@EXAMPLE.COM" in Stripe, "Jane.Doe@EXAMPLE.com" in Gorgias,
 * "jane.doe+helpdesk@Example.COM" in the tickets CSV, "JANE.doe@example.com" in the orders CSV and
 * " Jane.Doe@example.com " in the billing CSV: one customer.
 */
@ExtendWith(SparkTest.class)
class HandWrittenExportsTest {
    @TempDir
    static Path tmp;

    private static Warehouse wh;
    private static SilverBuild.Result silver;
    private static List<BronzeIngest.SourceResult> firstIngest;
    private static List<BronzeIngest.SourceResult> secondIngest;

    @BeforeAll
    static void ingest(SparkSession spark) {
        Timestamp now = new Timestamp(System.currentTimeMillis());
        FixtureLanding fixture = FixtureLanding.ingest(spark, "handwritten", tmp, "run-1", now);
        Settings settings = fixture.settings();
        wh = fixture.wh();
        firstIngest = fixture.ingested();
        silver = SilverBuild.build(wh, settings, "run-1");
        secondIngest = BronzeIngest.run(wh, settings.landing(), "run-2", now, settings.ingest().maxFileBytes());
    }

    @Test
    void everyRecordIsWrittenOrQuarantinedAndFilesAreIngestedOnce() {
        Map<LandingSource, BronzeIngest.SourceResult> bySource = new HashMap<>();
        firstIngest.forEach(r -> bySource.put(r.source(), r));
        assertThat(bySource.get(LandingSource.ZENDESK_TICKETS).written()).isEqualTo(7);
        assertThat(bySource.get(LandingSource.ZENDESK_TICKETS).quarantined()).isEqualTo(1);
        assertThat(bySource.get(LandingSource.STRIPE_EVENTS).read()).isEqualTo(18);
        assertThat(bySource.get(LandingSource.STRIPE_EVENTS).written()).isEqualTo(17);
        assertThat(bySource.get(LandingSource.STRIPE_EVENTS).quarantined()).isEqualTo(1);
        assertThat(bySource.get(LandingSource.GORGIAS_TICKETS).written()).isEqualTo(4);
        assertThat(bySource.get(LandingSource.GORGIAS_TICKETS).quarantined()).isEqualTo(2);
        assertThat(bySource.get(LandingSource.CSV_TICKETS).files()).isEqualTo(2);
        assertThat(bySource.get(LandingSource.CSV_ORDERS).written()).isEqualTo(6);
        assertThat(bySource.get(LandingSource.CSV_BILLING).written()).isEqualTo(7);
        assertThat(bySource.get(LandingSource.REFERENCE_CLAIMS).quarantined()).isEqualTo(1);
        for (BronzeIngest.SourceResult r : firstIngest) {
            assertThat(r.read()).as(r.source().name()).isEqualTo(r.written() + r.quarantined());
        }
        assertThat(secondIngest).allMatch(r -> r.files() == 0 && r.read() == 0);
    }

    @Test
    void theMalformedStripeLineIsQuarantinedWithItsPlace() {
        Row q = quarantined("stripe_events").get(0);
        assertThat(q.<String>getAs(Quarantine.SOURCE)).isEqualTo("stripe_events");
        assertThat(q.<String>getAs(Quarantine.FILE)).endsWith("stripe/events/events-001.jsonl");
        assertThat(q.<Long>getAs(Quarantine.LINE)).isEqualTo(5L);
        assertThat(q.<String>getAs(Quarantine.RAW)).startsWith("{\"id\":\"evt_4\"");
        assertThat(q.<String>getAs(Quarantine.REASON)).contains("malformed");
    }

    @Test
    void oneCustomerAcrossSevenSourcesDespiteEmailCase() {
        List<Row> customers = wh.read(Customers.TABLE).orderBy(Customers.EMAIL).collectAsList();
        // Jane, Sam, a guest checkout, Lee (Gorgias only), and Stripe's cus_B known by id only
        assertThat(customers).hasSize(5);
        Row jane = wh.read(Customers.TABLE).filter(col(Customers.EMAIL).equalTo("jane.doe@example.com")).head();
        assertThat(jane.<String>getAs(Customers.ZENDESK_USER_ID)).isEqualTo("9001");
        assertThat(jane.<String>getAs(Customers.SHOPIFY_CUSTOMER_ID)).isEqualTo("8001");
        assertThat(jane.<String>getAs(Customers.STRIPE_CUSTOMER_ID)).isEqualTo("cus_A");
        // the billing CSV's subscription start is the earliest sighting
        assertThat(jane.<Timestamp>getAs(Customers.FIRST_SEEN_AT)).isEqualTo(ts("2025-01-05T00:00:00Z"));
        Row idOnly = wh.read(Customers.TABLE).filter(col(Customers.STRIPE_CUSTOMER_ID).equalTo("cus_B")).head();
        assertThat(idOnly.<String>getAs(Customers.EMAIL)).isNull();
        assertThat(jane.<String>getAs(Customers.GORGIAS_CUSTOMER_ID)).isEqualTo("6001");
        assertThat(wh.read(CustomerIdentities.TABLE).filter(col(CustomerIdentities.CUSTOMER_ID)
                        .equalTo(jane.<String>getAs(Customers.CUSTOMER_ID)))
                .select(CustomerIdentities.SOURCE, CustomerIdentities.SOURCE_ID).orderBy(CustomerIdentities.SOURCE)
                .collectAsList()).extracting(Row::toString).containsExactly("[csv_billing,B-5]", "[csv_orders,S-77]",
                        "[csv_tickets,H-1]", "[gorgias,6001]", "[shopify,8001]", "[stripe,cus_A]", "[zendesk,9001]");
        // cus_C never had customer.created in the export; its invoices carry Sam's email
        assertThat(wh.read(CustomerIdentities.TABLE).filter(col(CustomerIdentities.SOURCE_ID).equalTo("cus_C"))
                .head().<String>getAs(CustomerIdentities.CUSTOMER_ID)).isEqualTo(customerIdOf("sam@example.org"));
    }

    @Test
    void ticketsTakeTheirLatestVersionAndTheSpecMetrics() {
        String jane = customerIdOf("jane.doe@example.com");
        Row t101 = ticket("zendesk:101");
        assertThat(t101.<String>getAs(Tickets.STATUS)).isEqualTo("solved");
        assertThat(t101.<String>getAs(Tickets.CUSTOMER_ID)).isEqualTo(jane);
        assertThat(t101.<String>getAs(Tickets.AGENT_ID)).isEqualTo("alice@shop.test");
        assertThat(t101.<String>getAs(Tickets.CHANNEL)).isEqualTo("chat");
        assertThat(t101.<String>getAs(Tickets.SOURCE_CHANNEL)).isEqualTo("native_messaging");
        assertThat(t101.<Double>getAs(Tickets.FIRST_RESPONSE_SECONDS)).isEqualTo(240.0);
        assertThat(t101.<Double>getAs(Tickets.RESOLUTION_HOURS)).isEqualTo(3.0);
        assertThat(t101.<Integer>getAs(Tickets.AGENT_REPLIES)).isEqualTo(1);
        assertThat(t101.<Integer>getAs(Tickets.CSAT)).isEqualTo(1);
        assertThat(t101.<scala.collection.Seq<String>>getAs(Tickets.TAGS).mkString(",")).isEqualTo("shipping,vip");
        assertThat(t101.isNullAt(t101.fieldIndex(Tickets.CAMPAIGN))).isTrue();
        assertThat(t101.<Timestamp>getAs(Tickets.CREATED_AT)).isEqualTo(ts("2025-03-03T10:00:00Z"));

        Row t102 = ticket("zendesk:102");
        assertThat(t102.<Double>getAs(Tickets.FIRST_RESPONSE_SECONDS)).isEqualTo(30.0); // seconds field preferred
        assertThat(t102.<Double>getAs(Tickets.RESOLUTION_HOURS)).isEqualTo(24.0);
        assertThat(t102.<Integer>getAs(Tickets.REOPENS)).isEqualTo(1);
        assertThat(t102.<Integer>getAs(Tickets.CSAT)).isEqualTo(0);
        assertThat(t102.<String>getAs(Tickets.CAMPAIGN)).isEqualTo(Tickets.CAMPAIGN_UPSELL);
        assertThat(wh.read(Tickets.TABLE).count()).isEqualTo(7);
    }

    @Test
    void zendeskTicketsWithoutMetricsGetWhatTheirVersionsTell() {
        // three versions, out of order in the page: solved 03-06 10:00, open 03-07 09:00, solved 03-07 15:00
        Row t103 = ticket("zendesk:103");
        assertThat(t103.<String>getAs(Tickets.STATUS)).isEqualTo("solved");
        assertThat(t103.<Integer>getAs(Tickets.REOPENS)).isEqualTo(1);
        assertThat(t103.<Timestamp>getAs(Tickets.SOLVED_AT)).isEqualTo(ts("2025-03-07T15:00:00Z"));
        assertThat(t103.<Double>getAs(Tickets.RESOLUTION_HOURS)).isEqualTo(31.0);
        assertThat(t103.isNullAt(t103.fieldIndex(Tickets.FIRST_RESPONSE_SECONDS))).isTrue();
        assertThat(t103.isNullAt(t103.fieldIndex(Tickets.AGENT_REPLIES))).isTrue();
        assertThat(t103.<String>getAs(Tickets.AGENT_ID)).isEqualTo("zendesk:7002"); // not in the users export
        assertThat(t103.<String>getAs(Tickets.CHANNEL)).isEqualTo("web");
        assertThat(wh.read(Tickets.TABLE).filter(col(Tickets.TICKET_ID).equalTo("zendesk:104")).count()).isZero();
        assertThat(wh.read(Tickets.TABLE).filter(col(Tickets.TICKET_ID).equalTo("zendesk:105")).count()).isZero();
    }

    @Test
    void gorgiasTicketsFollowTheSpecDefinitions() {
        Row t501 = ticket("gorgias:501");
        assertThat(t501.<String>getAs(Tickets.SOURCE)).isEqualTo("gorgias");
        assertThat(t501.<String>getAs(Tickets.CUSTOMER_ID)).isEqualTo(customerIdOf("jane.doe@example.com"));
        assertThat(t501.<String>getAs(Tickets.AGENT_ID)).isEqualTo("alice@shop.test");
        assertThat(t501.<String>getAs(Tickets.CHANNEL)).isEqualTo("chat");
        assertThat(t501.<Timestamp>getAs(Tickets.CREATED_AT)).isEqualTo(ts("2025-03-10T09:00:00Z"));
        assertThat(t501.<Double>getAs(Tickets.FIRST_RESPONSE_SECONDS)).isEqualTo(150.0); // the internal note is no reply
        assertThat(t501.<Double>getAs(Tickets.RESOLUTION_HOURS)).isEqualTo(2.5);
        assertThat(t501.<Timestamp>getAs(Tickets.SOLVED_AT)).isEqualTo(ts("2025-03-10T11:30:00Z"));
        assertThat(t501.<Integer>getAs(Tickets.AGENT_REPLIES)).isEqualTo(2);
        assertThat(t501.<Integer>getAs(Tickets.REOPENS)).isZero();
        assertThat(t501.<Integer>getAs(Tickets.CSAT)).isEqualTo(1);
        assertThat(t501.<scala.collection.Seq<String>>getAs(Tickets.TAGS).mkString(",")).isEqualTo("shipping");
        assertThat(t501.isNullAt(t501.fieldIndex(Tickets.HANDLE_SECONDS))).isTrue();

        // closed in the older page, reopened by the customer's next message in the newer one
        Row t502 = ticket("gorgias:502");
        assertThat(t502.<String>getAs(Tickets.STATUS)).isEqualTo("open");
        assertThat(t502.<String>getAs(Tickets.CHANNEL)).isEqualTo("social");
        assertThat(t502.<String>getAs(Tickets.SOURCE_CHANNEL)).isEqualTo("facebook-messenger");
        assertThat(t502.<String>getAs(Tickets.CUSTOMER_ID)).isEqualTo(customerIdOf("lee@example.org"));
        assertThat(t502.<String>getAs(Tickets.AGENT_ID)).isEqualTo("bob@shop.test");
        assertThat(t502.<Double>getAs(Tickets.FIRST_RESPONSE_SECONDS)).isEqualTo(1800.0);
        assertThat(t502.isNullAt(t502.fieldIndex(Tickets.RESOLUTION_HOURS))).isTrue();
        assertThat(t502.<Integer>getAs(Tickets.AGENT_REPLIES)).isEqualTo(1); // the unsent message is not a reply
        assertThat(t502.<Integer>getAs(Tickets.REOPENS)).isEqualTo(1);
        assertThat(t502.<Integer>getAs(Tickets.CSAT)).isZero();
        assertThat(t502.<String>getAs(Tickets.CAMPAIGN)).isEqualTo(Tickets.CAMPAIGN_WINBACK);
        assertThat(t502.<Timestamp>getAs(Tickets.UPDATED_AT)).isEqualTo(ts("2025-03-13T09:05:00Z"));

        assertThat(wh.read(Tickets.TABLE).filter(col(Tickets.TICKET_ID).equalTo("gorgias:503")).count()).isZero(); // spam
    }

    @Test
    void csvTicketsTakeTheLatestRowAndTolerateMissingColumns() {
        Row t1 = ticket("csv:T-1"); // the second file's version: no handle_seconds column, first_response_at instead
        assertThat(t1.<String>getAs(Tickets.SOURCE)).isEqualTo("csv");
        assertThat(t1.<String>getAs(Tickets.STATUS)).isEqualTo("solved");
        assertThat(t1.<String>getAs(Tickets.CUSTOMER_ID)).isEqualTo(customerIdOf("jane.doe@example.com"));
        assertThat(t1.<String>getAs(Tickets.AGENT_ID)).isEqualTo("alice@shop.test");
        assertThat(t1.<Double>getAs(Tickets.FIRST_RESPONSE_SECONDS)).isEqualTo(120.0);
        assertThat(t1.<Double>getAs(Tickets.RESOLUTION_HOURS)).isEqualTo(54.0);
        assertThat(t1.<Integer>getAs(Tickets.AGENT_REPLIES)).isEqualTo(3);
        assertThat(t1.<Integer>getAs(Tickets.REOPENS)).isEqualTo(1);
        assertThat(t1.<Integer>getAs(Tickets.CSAT)).isZero();
        assertThat(t1.isNullAt(t1.fieldIndex(Tickets.HANDLE_SECONDS))).isTrue();
        assertThat(t1.<scala.collection.Seq<String>>getAs(Tickets.TAGS).mkString(",")).isEqualTo("billing");

        Row t2 = ticket("csv:T-2");
        assertThat(t2.<Timestamp>getAs(Tickets.CREATED_AT)).isEqualTo(ts("2025-03-21T07:00:00Z"));
        assertThat(t2.<Double>getAs(Tickets.HANDLE_SECONDS)).isEqualTo(95.5);
        assertThat(t2.<Double>getAs(Tickets.FIRST_RESPONSE_SECONDS)).isEqualTo(120.0);
        assertThat(t2.<Double>getAs(Tickets.RESOLUTION_HOURS)).isEqualTo(2.0);
        assertThat(t2.<Integer>getAs(Tickets.CSAT)).isEqualTo(1);
        assertThat(t2.<String>getAs(Tickets.CHANNEL)).isEqualTo("email");
        assertThat(t2.<String>getAs(Tickets.CUSTOMER_ID)).isNull();
    }

    @Test
    void everyQuarantinedRecordKeepsSourceFilePlaceReasonAndRawText() {
        assertThat(wh.read(Quarantine.TABLE).count()).isEqualTo(9);
        // tickets nobody can be attributed to
        Row noRequester = quarantined("zendesk_tickets").get(0);
        assertThat(noRequester.<String>getAs(Quarantine.REASON)).isEqualTo("missing required field requester_id");
        assertThat(noRequester.<String>getAs(Quarantine.FILE)).endsWith("zendesk/tickets/page-003.json");
        assertThat(noRequester.<Long>getAs(Quarantine.RECORD_INDEX)).isEqualTo(4L);
        assertThat(noRequester.<String>getAs(Quarantine.RAW)).startsWith("{\"id\": 105");
        Row noCustomer = quarantined("gorgias_tickets").get(0);
        assertThat(noCustomer.<String>getAs(Quarantine.REASON)).isEqualTo("missing required field customer");
        assertThat(noCustomer.<Long>getAs(Quarantine.RECORD_INDEX)).isEqualTo(3L);
        Row gorgias = quarantined("gorgias_tickets").get(1);
        assertThat(gorgias.<String>getAs(Quarantine.FILE)).endsWith("gorgias/tickets/page-001.json");
        assertThat(gorgias.<Long>getAs(Quarantine.RECORD_INDEX)).isEqualTo(4L);
        assertThat(gorgias.<String>getAs(Quarantine.REASON))
                .isEqualTo("unparseable timestamp in messages[].sent_datetime: not a date");
        assertThat(gorgias.<String>getAs(Quarantine.RAW)).startsWith("{\"id\": 505");
        Row survey = quarantined("gorgias_satisfaction_surveys").get(0);
        assertThat(survey.<String>getAs(Quarantine.REASON)).isEqualTo("out of range 1-5 in score: 7");
        assertThat(survey.<Long>getAs(Quarantine.RECORD_INDEX)).isEqualTo(2L);
        Row csvTicket = quarantined("csv_tickets").get(0);
        assertThat(csvTicket.<String>getAs(Quarantine.FILE)).endsWith("csv/tickets/tickets-001.csv");
        assertThat(csvTicket.<Long>getAs(Quarantine.LINE)).isEqualTo(4L);
        assertThat(csvTicket.<String>getAs(Quarantine.REASON)).isEqualTo("unparseable timestamp in created_at: not-a-date");
        assertThat(csvTicket.<String>getAs(Quarantine.RAW)).contains("\"ticket_id\":\"T-3\"");
        Row csvOrder = quarantined("csv_orders").get(0);
        assertThat(csvOrder.<Long>getAs(Quarantine.LINE)).isEqualTo(5L);
        assertThat(csvOrder.<String>getAs(Quarantine.REASON)).isEqualTo("not a whole number >= 0 in quantity: two");
        Row billing = quarantined("csv_billing").get(0);
        assertThat(billing.<Long>getAs(Quarantine.LINE)).isEqualTo(9L);
        assertThat(billing.<String>getAs(Quarantine.REASON)).isEqualTo("outcome must be one of paid, failed: maybe");
        Row claim = quarantined("reference_claims").get(0);
        assertThat(claim.<String>getAs(Quarantine.REASON)).isEqualTo("not an amount in amount_claimed: lots");
        assertThat(claim.<String>getAs(Quarantine.RAW)).contains("CL-5");
    }

    @Test
    void ordersAreInUtcWithDecimalMoney() {
        Row o = wh.read(Orders.TABLE).filter(col(Orders.ORDER_ID).equalTo("shopify:5001")).head();
        assertThat(o.<String>getAs(Orders.CUSTOMER_ID)).isEqualTo(customerIdOf("jane.doe@example.com"));
        assertThat(o.<Timestamp>getAs(Orders.ORDERED_AT)).isEqualTo(ts("2025-01-20T08:30:00Z"));
        assertThat(o.<java.math.BigDecimal>getAs(Orders.TOTAL)).isEqualByComparingTo("39.00");
        assertThat(o.<String>getAs(Orders.CURRENCY)).isEqualTo("USD");
        assertThat(o.<scala.collection.Seq<String>>getAs(Orders.DISCOUNT_CODES).mkString(",")).isEqualTo("ALICE10");
        Row guest = wh.read(Orders.TABLE).filter(col(Orders.ORDER_ID).equalTo("shopify:5002")).head();
        assertThat(guest.<java.math.BigDecimal>getAs(Orders.TOTAL)).isEqualByComparingTo("12.50");
        assertThat(guest.<Timestamp>getAs(Orders.ORDERED_AT)).isEqualTo(ts("2025-02-01T11:00:00Z"));
        assertThat(guest.<String>getAs(Orders.CUSTOMER_ID)).isEqualTo(customerIdOf("guest@example.net"));

        // re-sent with a newer updated_at: the newer version (two lines, refunds) wins; total sent as a number
        Row o3 = order("shopify:5003");
        assertThat(o3.<java.math.BigDecimal>getAs(Orders.TOTAL)).isEqualByComparingTo("20.00");
        assertThat(o3.<Timestamp>getAs(Orders.ORDERED_AT)).isEqualTo(ts("2025-04-01T14:00:00Z"));
        assertThat(o3.<scala.collection.Seq<String>>getAs(Orders.DISCOUNT_CODES).mkString(",")).isEqualTo("BOB5");
        assertThat(o3.<String>getAs(Orders.FINANCIAL_STATUS)).isEqualTo("partially_refunded");
        assertThat(wh.read(Orders.TABLE).count()).isEqualTo(5);
    }

    @Test
    void csvOrdersAreOneRowPerOrderWithLinesFromTheLatestVersion() {
        Row a1 = order("csv:A-1");
        assertThat(a1.<String>getAs(Orders.SOURCE)).isEqualTo("csv");
        assertThat(a1.<String>getAs(Orders.CUSTOMER_ID)).isEqualTo(customerIdOf("jane.doe@example.com"));
        assertThat(a1.<Timestamp>getAs(Orders.ORDERED_AT)).isEqualTo(ts("2025-03-25T10:00:00Z"));
        assertThat(a1.<String>getAs(Orders.CURRENCY)).isEqualTo("EUR");
        assertThat(a1.<java.math.BigDecimal>getAs(Orders.TOTAL)).isEqualByComparingTo("50.90");
        assertThat(a1.<scala.collection.Seq<String>>getAs(Orders.DISCOUNT_CODES).mkString(",")).isEqualTo("BOB5");
        Row a3 = order("csv:A-3");
        assertThat(a3.<java.math.BigDecimal>getAs(Orders.TOTAL)).isEqualByComparingTo("15.00");
        assertThat(a3.<String>getAs(Orders.CUSTOMER_ID)).isEqualTo(customerIdOf("guest@example.net"));
        assertThat(Frames.sortedRows(wh.read(OrderLines.TABLE)
                .filter(col(OrderLines.ORDER_ID).isin("csv:A-1", "shopify:5003"))
                .select(OrderLines.ORDER_ID, OrderLines.LINE_NUMBER, OrderLines.SKU, OrderLines.QUANTITY,
                        OrderLines.UNIT_PRICE)))
                .containsExactly("[csv:A-1,1,BOX-MONTHLY,1,42.90]", "[csv:A-1,2,ADD-SNACK,2,6.50]",
                        "[shopify:5003,1,ADD-SNACK,2,6.50]", "[shopify:5003,2,ADD-MUG,1,8.00]");
        assertThat(wh.read(OrderLines.TABLE).count()).isEqualTo(6);
    }

    @Test
    void refundsFromShopifyStripeAndCsvEachOnce() {
        String jane = customerIdOf("jane.doe@example.com");
        String sam = customerIdOf("sam@example.org");
        assertThat(Frames.sortedRows(wh.read(Refunds.TABLE).select(Refunds.REFUND_ID, Refunds.ORDER_ID,
                        Refunds.REFUNDED_AT, Refunds.AMOUNT, Refunds.SOURCE, Refunds.CHARGE_ID, Refunds.INVOICE_ID)))
                .containsExactly(
                        "[csv:A-1:R-1,csv:A-1,2025-03-28 09:00:00.0,6.50,csv,null,null]",
                        "[shopify:901,shopify:5003,2025-04-02 13:00:00.0,5.00,shopify,null,null]",
                        "[shopify:902,shopify:5003,2025-04-03 14:00:00.0,3.50,shopify,null,null]",
                        // cumulative amount_refunded 1000 then 1500 (events out of order, 1000 re-sent): 10 + 5
                        "[stripe:ch_A1:evt_16,null,2025-02-25 08:00:00.0,10.00,stripe,ch_A1,in_A1]",
                        "[stripe:ch_A1:evt_17,null,2025-02-26 08:00:00.0,5.00,stripe,ch_A1,in_A1]",
                        // listed refunds: each item once although the second event lists both
                        "[stripe:re_1,null,2025-04-02 08:00:00.0,5.00,stripe,ch_C2,null]",
                        "[stripe:re_2,null,2025-04-03 08:00:00.0,7.00,stripe,ch_C2,null]");
        assertThat(wh.read(Refunds.TABLE).filter(col(Refunds.SOURCE).isin("shopify", "csv")
                .and(col(Refunds.CUSTOMER_ID).notEqual(jane))).count()).isZero();
        assertThat(wh.read(Refunds.TABLE).filter(col(Refunds.CHARGE_ID).equalTo("ch_C2")
                .and(col(Refunds.CUSTOMER_ID).equalTo(sam))).count()).isEqualTo(2);
    }

    @Test
    void subscriptionsFromDeduplicatedStripeEvents() {
        Row a = wh.read(Subscriptions.TABLE).filter(col(Subscriptions.SUBSCRIPTION_ID).equalTo("sub_A")).head();
        assertThat(a.<String>getAs(Subscriptions.CUSTOMER_ID)).isEqualTo(customerIdOf("jane.doe@example.com"));
        assertThat(a.<Timestamp>getAs(Subscriptions.STARTED_AT)).isEqualTo(ts("2025-01-20T08:01:00Z"));
        assertThat(a.<Timestamp>getAs(Subscriptions.ENDED_AT)).isEqualTo(ts("2025-04-18T18:13:20Z"));
        assertThat(a.<String>getAs(Subscriptions.END_REASON)).isEqualTo(Subscriptions.PAYMENT_FAILED);
        Row b = wh.read(Subscriptions.TABLE).filter(col(Subscriptions.SUBSCRIPTION_ID).equalTo("sub_B")).head();
        assertThat(b.isNullAt(b.fieldIndex(Subscriptions.ENDED_AT))).isTrue();
        assertThat(b.isNullAt(b.fieldIndex(Subscriptions.END_REASON))).isTrue();
        Row c = wh.read(Subscriptions.TABLE).filter(col(Subscriptions.SUBSCRIPTION_ID).equalTo("sub_C")).head();
        assertThat(c.<Timestamp>getAs(Subscriptions.STARTED_AT)).isEqualTo(ts("2025-03-01T00:00:00Z")); // invoices only
        assertThat(c.<String>getAs(Subscriptions.CUSTOMER_ID)).isEqualTo(customerIdOf("sam@example.org"));
        Row s9 = wh.read(Subscriptions.TABLE).filter(col(Subscriptions.SUBSCRIPTION_ID).equalTo("csv:S-9")).head();
        assertThat(s9.<String>getAs(Subscriptions.SOURCE)).isEqualTo("csv");
        assertThat(s9.<String>getAs(Subscriptions.CUSTOMER_ID)).isEqualTo(customerIdOf("jane.doe@example.com"));
        assertThat(s9.<Timestamp>getAs(Subscriptions.STARTED_AT)).isEqualTo(ts("2025-01-05T00:00:00Z"));
        assertThat(s9.<Timestamp>getAs(Subscriptions.ENDED_AT)).isEqualTo(ts("2025-04-05T00:00:00Z"));
        assertThat(s9.<String>getAs(Subscriptions.END_REASON)).isEqualTo(Subscriptions.PAYMENT_FAILED);
        assertThat(wh.read(Subscriptions.TABLE).count()).isEqualTo(4);
    }

    @Test
    void renewalAttemptsFromBothInvoiceShapesAndTheBillingCsv() {
        assertThat(Frames.sortedRows(wh.read(RenewalAttempts.TABLE).select(RenewalAttempts.INVOICE_ID,
                        RenewalAttempts.SUBSCRIPTION_ID, RenewalAttempts.ATTEMPT, RenewalAttempts.ATTEMPTED_AT,
                        RenewalAttempts.AMOUNT, RenewalAttempts.OUTCOME, RenewalAttempts.INVOICE_OUTCOME)))
                .containsExactly(
                        "[csv:INV-1,csv:S-9,1,2025-02-05 06:00:00.0,29.00,failed,recovered_by_dunning]",
                        "[csv:INV-1,csv:S-9,2,2025-02-08 06:00:00.0,29.00,paid,recovered_by_dunning]",
                        // the duplicated failed row counts once; attempts numbered by time
                        "[csv:INV-2,csv:S-9,1,2025-03-05 06:00:00.0,29.00,failed,recovered_after_dunning]",
                        "[csv:INV-2,csv:S-9,2,2025-03-25 06:00:00.0,29.00,paid,recovered_after_dunning]",
                        "[in_A1,sub_A,1,2025-02-15 08:00:00.0,39.00,failed,recovered_by_dunning]",
                        "[in_A1,sub_A,2,2025-02-17 08:00:00.0,39.00,failed,recovered_by_dunning]",
                        "[in_A1,sub_A,3,2025-02-21 08:00:00.0,39.00,paid,recovered_by_dunning]",
                        // 2025-03-31 API shape: subscription under parent.subscription_details; window over by 04-01
                        "[in_A2,sub_A,1,2025-03-15 08:00:00.0,39.00,failed,unrecovered]",
                        "[in_C2,sub_C,1,2025-04-01 08:00:00.0,29.00,paid,paid]");
        Row a2 = wh.read(RenewalAttempts.TABLE).filter(col(RenewalAttempts.INVOICE_ID).equalTo("in_A2")).head();
        assertThat(a2.<String>getAs(RenewalAttempts.CUSTOMER_ID)).isEqualTo(customerIdOf("jane.doe@example.com"));
        assertThat(a2.<Timestamp>getAs(RenewalAttempts.DUNNING_ENDS_AT)).isEqualTo(ts("2025-03-27T08:00:00Z"));
        assertThat(a2.isNullAt(a2.fieldIndex(RenewalAttempts.PAID_AT))).isTrue();
    }

    @Test
    void agentsFromTheReferenceFilePlusThoseOnlyTheHelpdesksKnow() {
        assertThat(Frames.sortedRows(wh.read(Agents.TABLE).select(Agents.AGENT_ID, Agents.NAME, Agents.TEAM,
                        Agents.MONTHLY_COST, Agents.DISCOUNT_CODE, Agents.IN_REFERENCE)))
                .containsExactly(
                        "[alice@shop.test,Alice Agent,Tier 1,4200.00,ALICE10,true]",
                        "[bob@shop.test,Bob Agent,null,null,null,false]",
                        "[carol@shop.test,null,null,null,null,false]",
                        "[dave@shop.test,Dave Agent,Tier 2,5100.00,DAVE15,true]",
                        "[zendesk:7002,null,null,null,null,false]");
    }

    @Test
    void referenceTablesClaimsProductsAndCosts() {
        assertThat(Frames.sortedRows(wh.read(Claims.TABLE).select(Claims.CLAIM_ID, Claims.ORDER_ID, Claims.ORDER_REF,
                        Claims.AMOUNT_CLAIMED, Claims.AMOUNT_RECOVERED, Claims.RECOVERED_AT, Claims.AGENT_ID)))
                .containsExactly(
                        "[CL-1,shopify:5001,5001,39.00,39.00,2025-02-20 10:00:00.0,alice@shop.test]",
                        "[CL-2,csv:A-1,csv:A-1,50.90,null,null,bob@shop.test]",
                        "[CL-3,null,99999,10.00,null,null,alice@shop.test]",
                        "[CL-4,csv:A-3,A-3,15.00,null,null,alice@shop.test]");
        assertThat(Frames.sortedRows(wh.read(Products.TABLE)))
                .containsExactly("[ADD-MUG,3.00]", "[ADD-SNACK,2.25]", "[BOX-MONTHLY,17.50]");
        assertThat(Frames.sortedRows(wh.read(Costs.TABLE).select(Costs.MONTH, Costs.ITEM, Costs.AMOUNT)))
                .containsExactly("[2025-03,helpdesk_platform,230.00]", "[2025-03,tools,450.00]",
                        "[2025-04,helpdesk_platform,230.00]");
    }

    @Test
    void unmatchedCountsPerTableAndSource() {
        assertThat(silver.unmatched()).extracting(c -> c.table() + "/" + c.source() + " " + c.unmatched() + " of "
                        + c.records() + " by " + c.tiedTo() + ", " + c.withoutEmail() + " without email")
                .containsExactly(
                        "silver.claims/reference 1 of 4 by order, 0 without email",
                        "silver.orders/csv 0 of 2 by customer, 0 without email",
                        "silver.orders/shopify 0 of 3 by customer, 0 without email",
                        "silver.refunds/csv 0 of 1 by customer, 0 without email",
                        "silver.refunds/shopify 0 of 2 by customer, 0 without email",
                        "silver.refunds/stripe 0 of 4 by customer, 0 without email",
                        "silver.renewal_attempts/csv 0 of 4 by customer, 0 without email",
                        "silver.renewal_attempts/stripe 0 of 5 by customer, 0 without email",
                        "silver.subscriptions/csv 0 of 1 by customer, 0 without email",
                        "silver.subscriptions/stripe 0 of 3 by customer, 1 without email",
                        "silver.tickets/csv 1 of 2 by customer, 0 without email",
                        "silver.tickets/gorgias 0 of 2 by customer, 0 without email",
                        "silver.tickets/zendesk 0 of 3 by customer, 0 without email");
    }

    private static List<Row> quarantined(String source) {
        return wh.read(Quarantine.TABLE).filter(col(Quarantine.SOURCE).equalTo(source))
                .orderBy(Quarantine.FILE, Quarantine.RECORD_INDEX).collectAsList();
    }

    private static Row order(String id) {
        return wh.read(Orders.TABLE).filter(col(Orders.ORDER_ID).equalTo(id)).head();
    }

    private static Row ticket(String id) {
        return wh.read(Tickets.TABLE).filter(col(Tickets.TICKET_ID).equalTo(id)).head();
    }

    private static String customerIdOf(String email) {
        return wh.read(Customers.TABLE).filter(col(Customers.EMAIL).equalTo(email)).head()
                .getAs(Customers.CUSTOMER_ID);
    }
}
