package io.supportroi.model;

import io.supportroi.config.Settings;
import io.supportroi.ingest.BronzeIngest;
import io.supportroi.ingest.LandingSource;
import io.supportroi.ops.Quarantine;
import io.supportroi.ops.Warehouse;
import io.supportroi.testing.Fixtures;
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
 * "JANE.DOE@example.com" in Shopify and "JANE.DOE@EXAMPLE.COM" in Stripe: one customer.
 */
@ExtendWith(SparkTest.class)
class HandWrittenExportsTest {
    @TempDir
    static Path tmp;

    private static Warehouse wh;
    private static List<BronzeIngest.SourceResult> firstIngest;
    private static List<BronzeIngest.SourceResult> secondIngest;

    @BeforeAll
    static void ingest(SparkSession spark) {
        Path landing = Fixtures.copy("handwritten", tmp.resolve("landing"));
        Settings settings = SparkTest.settings().withPaths(landing.toString(), tmp.resolve("wh").toString());
        wh = new Warehouse(spark, settings.warehouse());
        Timestamp now = new Timestamp(System.currentTimeMillis());
        firstIngest = BronzeIngest.run(wh, settings.landing(), "run-1", now, settings.ingest().maxFileBytes());
        SilverBuild.run(wh, settings, "run-1");
        secondIngest = BronzeIngest.run(wh, settings.landing(), "run-2", now, settings.ingest().maxFileBytes());
    }

    @Test
    void everyRecordIsWrittenOrQuarantinedAndFilesAreIngestedOnce() {
        Map<LandingSource, BronzeIngest.SourceResult> bySource = new HashMap<>();
        firstIngest.forEach(r -> bySource.put(r.source(), r));
        assertThat(bySource.get(LandingSource.ZENDESK_TICKETS).written()).isEqualTo(3);
        assertThat(bySource.get(LandingSource.STRIPE_EVENTS).read()).isEqualTo(6);
        assertThat(bySource.get(LandingSource.STRIPE_EVENTS).written()).isEqualTo(5);
        assertThat(bySource.get(LandingSource.STRIPE_EVENTS).quarantined()).isEqualTo(1);
        for (BronzeIngest.SourceResult r : firstIngest) {
            assertThat(r.read()).as(r.source().name()).isEqualTo(r.written() + r.quarantined());
        }
        assertThat(secondIngest).allMatch(r -> r.files() == 0 && r.read() == 0);
    }

    @Test
    void theMalformedStripeLineIsQuarantinedWithItsPlace() {
        Row q = wh.read(Quarantine.TABLE).head();
        assertThat(wh.read(Quarantine.TABLE).count()).isEqualTo(1);
        assertThat(q.<String>getAs(Quarantine.SOURCE)).isEqualTo("stripe_events");
        assertThat(q.<String>getAs(Quarantine.FILE)).endsWith("stripe/events/events-001.jsonl");
        assertThat(q.<Long>getAs(Quarantine.LINE)).isEqualTo(5L);
        assertThat(q.<String>getAs(Quarantine.RAW)).startsWith("{\"id\":\"evt_4\"");
        assertThat(q.<String>getAs(Quarantine.REASON)).contains("malformed");
    }

    @Test
    void oneCustomerAcrossThreeSourcesDespiteEmailCase() {
        List<Row> customers = wh.read(Customers.TABLE).orderBy(Customers.EMAIL).collectAsList();
        assertThat(customers).hasSize(4); // Jane, Sam, a guest checkout, and Stripe's cus_B known by id only
        Row jane = wh.read(Customers.TABLE).filter(col(Customers.EMAIL).equalTo("jane.doe@example.com")).head();
        assertThat(jane.<String>getAs(Customers.ZENDESK_USER_ID)).isEqualTo("9001");
        assertThat(jane.<String>getAs(Customers.SHOPIFY_CUSTOMER_ID)).isEqualTo("8001");
        assertThat(jane.<String>getAs(Customers.STRIPE_CUSTOMER_ID)).isEqualTo("cus_A");
        assertThat(jane.<Timestamp>getAs(Customers.FIRST_SEEN_AT)).isEqualTo(ts("2025-01-20T08:00:00Z"));
        Row idOnly = wh.read(Customers.TABLE).filter(col(Customers.STRIPE_CUSTOMER_ID).equalTo("cus_B")).head();
        assertThat(idOnly.<String>getAs(Customers.EMAIL)).isNull();
        assertThat(wh.read(CustomerIdentities.TABLE).filter(col(CustomerIdentities.CUSTOMER_ID)
                .equalTo(jane.<String>getAs(Customers.CUSTOMER_ID))).count()).isEqualTo(3);
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
        assertThat(wh.read(Tickets.TABLE).count()).isEqualTo(2);
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
        assertThat(wh.read(Subscriptions.TABLE).count()).isEqualTo(2);
    }

    private static Row ticket(String id) {
        return wh.read(Tickets.TABLE).filter(col(Tickets.TICKET_ID).equalTo(id)).head();
    }

    private static String customerIdOf(String email) {
        return wh.read(Customers.TABLE).filter(col(Customers.EMAIL).equalTo(email)).head()
                .getAs(Customers.CUSTOMER_ID);
    }
}
