package io.supportroi.model;

import io.supportroi.analytics.AsOf;
import io.supportroi.analytics.CustomerTimeline;
import io.supportroi.analytics.ResolutionTimeVsRetention;
import io.supportroi.analytics.TicketOutcomes;
import io.supportroi.config.Settings;
import io.supportroi.ingest.LandingSource;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which email a source id resolves to, source by source (docs/formats.md, "Customers"): the latest dated sighting
 * with an email wins; a sighting without a time only fills a gap; a tie in time goes to the greater email, whatever
 * order the records come in.
 */
@ExtendWith(SparkTest.class)
class IdentitySightingsTest {
    private static final Settings.IdentitySettings IDENTITY = Settings.defaults().identity();

    @Test
    void zendeskUsersWithoutTimestampsStillLink(SparkSession spark) {
        // The users page of Zendesk's own API reference carries no created_at/updated_at.
        Map<String, String> emails = emails(spark, LandingSource.ZENDESK_USERS, "users-1.json", """
                {"users":[{"id":1,"name":"Ann","email":"Ann@Example.com","role":"end-user"},
                          {"id":2,"name":"Bob","email":"bob@example.com","role":"end-user"}]}""",
                LandingSource.ZENDESK_TICKETS, "tickets-1.json", """
                {"tickets":[{"id":10,"requester_id":1,"status":"open","created_at":"2025-01-05T10:00:00Z",
                             "updated_at":"2025-01-05T10:00:00Z"}]}""");
        assertThat(emails).containsEntry("zendesk:1", "ann@example.com").containsEntry("zendesk:2", "bob@example.com");
    }

    @Test
    void zendeskLatestDatedSightingWinsAndUndatedOnlyFillsGaps(SparkSession spark) {
        Map<String, String> emails = emails(spark, LandingSource.ZENDESK_USERS, "users-1.json", """
                {"users":[
                  {"id":1,"email":"old@example.com","role":"end-user","updated_at":"2025-01-01T00:00:00Z"},
                  {"id":1,"email":"new@example.com","role":"end-user","updated_at":"2025-02-01T00:00:00Z"},
                  {"id":1,"email":"undated@example.com","role":"end-user"},
                  {"id":2,"email":"only-undated@example.com","role":"end-user"},
                  {"id":2,"role":"end-user","updated_at":"2025-03-01T00:00:00Z"},
                  {"id":3,"email":"z@example.com","role":"end-user","created_at":"2025-01-01T00:00:00Z"},
                  {"id":3,"email":"a@example.com","role":"end-user","created_at":"2025-01-01T00:00:00Z"},
                  {"id":4,"email":"a@example.com","role":"end-user","created_at":"2025-01-01T00:00:00Z"},
                  {"id":4,"email":"z@example.com","role":"end-user","created_at":"2025-01-01T00:00:00Z"}]}""");
        assertThat(emails)
                .containsEntry("zendesk:1", "new@example.com")
                // dated, but without an email: the undated email is all there is
                .containsEntry("zendesk:2", "only-undated@example.com")
                // the same time, two emails: the greater one, in either order they were read (3 and 4)
                .containsEntry("zendesk:3", "z@example.com").containsEntry("zendesk:4", "z@example.com");
    }

    @Test
    void gorgiasCustomersTakeTheLatestTicketsEmail(SparkSession spark) {
        Map<String, String> emails = emails(spark, LandingSource.GORGIAS_TICKETS, "tickets-1.json", """
                {"data":[
                  {"id":1,"customer":{"id":7,"email":"new@example.com"},"created_datetime":"2025-02-01T00:00:00"},
                  {"id":2,"customer":{"id":7,"email":"old@example.com"},"created_datetime":"2025-01-01T00:00:00"},
                  {"id":3,"customer":{"id":8,"email":"b@example.com"},"created_datetime":"2025-01-01T00:00:00"},
                  {"id":4,"customer":{"id":8,"email":"a@example.com"},"created_datetime":"2025-01-01T00:00:00"},
                  {"id":5,"customer":{"id":9,"email":"a@example.com"},"created_datetime":"2025-01-01T00:00:00"},
                  {"id":6,"customer":{"id":9,"email":"b@example.com"},"created_datetime":"2025-01-01T00:00:00"}],
                 "meta":{}}""",
                LandingSource.GORGIAS_SATISFACTION_SURVEYS, "surveys-1.json", """
                {"data":[{"id":1,"ticket_id":1,"customer_id":7,"score":5,"scored_datetime":"2025-03-01T00:00:00"}]}""");
        // The survey names the customer later but without an email: it changes nothing.
        assertThat(emails).containsEntry("gorgias:7", "new@example.com").containsEntry("gorgias:8", "b@example.com")
                .containsEntry("gorgias:9", "b@example.com");
    }

    @Test
    void shopifyCustomersTakeTheLatestOrdersEmail(SparkSession spark) {
        Map<String, String> emails = emails(spark, LandingSource.SHOPIFY_ORDERS, "orders-1.json", """
                {"orders":[
                  {"id":1,"created_at":"2025-03-01T10:00:00-05:00","total_price":"1.00",
                   "customer":{"id":5,"email":"New@Example.com"}},
                  {"id":2,"created_at":"2025-01-01T10:00:00-05:00","total_price":"1.00","email":"old@example.com",
                   "customer":{"id":5}}]}""");
        assertThat(emails).containsEntry("shopify:5", "new@example.com");
    }

    @Test
    void stripeCustomersTakeTheLatestEventsEmail(SparkSession spark) {
        Map<String, String> emails = emails(spark, LandingSource.STRIPE_EVENTS, "events-1.jsonl", String.join("\n",
                "{\"id\":\"evt_3\",\"type\":\"customer.updated\",\"created\":1740000000,"
                        + "\"data\":{\"object\":{\"id\":\"cus_1\",\"object\":\"customer\",\"email\":\"new@example.com\"}}}",
                "{\"id\":\"evt_1\",\"type\":\"customer.created\",\"created\":1730000000,"
                        + "\"data\":{\"object\":{\"id\":\"cus_1\",\"object\":\"customer\",\"email\":\"old@example.com\"}}}",
                // an invoice's snapshot of the email links a customer whose customer.created is missing
                "{\"id\":\"evt_2\",\"type\":\"invoice.paid\",\"created\":1735000000,\"data\":{\"object\":{"
                        + "\"id\":\"in_1\",\"object\":\"invoice\",\"customer\":\"cus_2\","
                        + "\"customer_email\":\"Snap@Example.com\"}}}"));
        assertThat(emails).containsEntry("stripe:cus_1", "new@example.com")
                .containsEntry("stripe:cus_2", "snap@example.com");
    }

    @Test
    void csvTicketsAndOrdersTakeTheLatestRowsEmail(SparkSession spark) {
        Map<String, String> emails = emails(spark, LandingSource.CSV_TICKETS, "tickets-1.csv", """
                ticket_id,created_at,customer_id,customer_email
                T-1,2025-02-01T00:00:00Z,C-1,new@example.com
                T-2,2025-01-01T00:00:00Z,C-1,old@example.com
                """,
                LandingSource.CSV_ORDERS, "orders-1.csv", """
                order_id,ordered_at,customer_id,customer_email
                O-1,2025-01-01T00:00:00Z,C-1,old@example.com
                O-2,2025-02-01T00:00:00Z,C-1,new@example.com
                """);
        assertThat(emails).containsEntry("csv_tickets:C-1", "new@example.com")
                .containsEntry("csv_orders:C-1", "new@example.com");
    }

    @Test
    void csvBillingRowsWithoutAnyDateStillLink(SparkSession spark) {
        // A subscription row with no start, attempt or end is an undated sighting.
        Map<String, String> emails = emails(spark, LandingSource.CSV_BILLING, "billing-1.csv", """
                subscription_id,customer_id,customer_email,started_at
                S-1,C-1,undated@example.com,
                S-2,C-2,undated@example.com,
                S-3,C-2,dated@example.com,2025-01-15T00:00:00Z
                """);
        assertThat(emails).containsEntry("csv_billing:C-1", "undated@example.com")
                .containsEntry("csv_billing:C-2", "dated@example.com");
    }

    /**
     * The case that made every retention figure 0: Zendesk end-users without timestamps resolved to no email, so
     * their tickets never met their Stripe subscriptions. Without timestamps the figures must be those with them.
     */
    @Test
    void retentionIsTheSameWhetherUsersCarryTimestamps(SparkSession spark) {
        String dated = """
                {"users":[
                  {"id":1,"email":"ann@example.com","role":"end-user","created_at":"2024-11-01T00:00:00Z"},
                  {"id":2,"email":"bob@example.com","role":"end-user","created_at":"2024-11-01T00:00:00Z"},
                  {"id":3,"email":"cat@example.com","role":"end-user","created_at":"2024-11-01T00:00:00Z"}]}""";
        String undated = dated.replace(",\"created_at\":\"2024-11-01T00:00:00Z\"", "");
        assertThat(undated).doesNotContain("created_at");
        List<String> withTimes = resolutionTimeVsRetention(spark, dated);
        List<String> withoutTimes = resolutionTimeVsRetention(spark, undated);
        assertThat(withoutTimes).isEqualTo(withTimes);
        // Ann and Bob keep their subscriptions; Cat's ends within the horizon.
        assertThat(withTimes).contains("resolution_time <1h 2 2 2", "resolution_time 4-24h 1 1 0");
    }

    private static List<String> resolutionTimeVsRetention(SparkSession spark, String users) {
        String tickets = """
                {"tickets":[
                  {"id":11,"requester_id":1,"status":"solved","via":{"channel":"email"},
                   "created_at":"2025-01-10T09:00:00Z","updated_at":"2025-01-10T09:30:00Z"},
                  {"id":12,"requester_id":2,"status":"solved","via":{"channel":"email"},
                   "created_at":"2025-01-10T09:00:00Z","updated_at":"2025-01-10T09:30:00Z"},
                  {"id":13,"requester_id":3,"status":"solved","via":{"channel":"email"},
                   "created_at":"2025-01-10T09:00:00Z","updated_at":"2025-01-10T19:00:00Z"}]}""";
        String metrics = """
                {"ticket_metrics":[
                  {"ticket_id":11,"full_resolution_time_in_minutes":{"calendar":30},"replies":1,"reopens":0},
                  {"ticket_id":12,"full_resolution_time_in_minutes":{"calendar":30},"replies":1,"reopens":0},
                  {"ticket_id":13,"full_resolution_time_in_minutes":{"calendar":600},"replies":1,"reopens":0}]}""";
        StringBuilder events = new StringBuilder();
        String[] emails = {"ann@example.com", "bob@example.com", "cat@example.com"};
        for (int i = 1; i <= 3; i++) {
            events.append(String.format("{\"id\":\"evt_c%d\",\"type\":\"customer.created\",\"created\":1730419200,"
                    + "\"data\":{\"object\":{\"id\":\"cus_%d\",\"object\":\"customer\",\"email\":\"%s\"}}}%n",
                    i, i, emails[i - 1]));
            events.append(String.format("{\"id\":\"evt_s%d\",\"type\":\"customer.subscription.created\","
                    + "\"created\":1730419200,\"data\":{\"object\":{\"id\":\"sub_%d\",\"object\":\"subscription\","
                    + "\"customer\":\"cus_%d\",\"status\":\"active\",\"start_date\":1730419200}}}%n", i, i, i));
        }
        // Cat cancels on 2025-02-01, within the 90 days after her ticket.
        events.append("{\"id\":\"evt_d3\",\"type\":\"customer.subscription.deleted\",\"created\":1738368000,"
                + "\"data\":{\"object\":{\"id\":\"sub_3\",\"object\":\"subscription\",\"customer\":\"cus_3\","
                + "\"status\":\"canceled\",\"start_date\":1730419200,\"ended_at\":1738368000}}}\n");
        Settings settings = Settings.defaults();
        Map<LandingSource, Dataset<Row>> frames = new HashMap<>();
        frames.put(LandingSource.ZENDESK_USERS, bronze(spark, LandingSource.ZENDESK_USERS, users));
        frames.put(LandingSource.ZENDESK_TICKETS, bronze(spark, LandingSource.ZENDESK_TICKETS, tickets));
        frames.put(LandingSource.ZENDESK_TICKET_METRICS, bronze(spark, LandingSource.ZENDESK_TICKET_METRICS, metrics));
        frames.put(LandingSource.STRIPE_EVENTS, bronze(spark, LandingSource.STRIPE_EVENTS, events.toString()));
        BronzeTables b = BronzeTables.of(spark, frames);
        Dataset<Row> identities = CustomerIdentities.apply(CustomerIdentities.observations(b, settings.identity()));
        Dataset<Row> subscriptions = Subscriptions.apply(b,
                Subscriptions.distinctEvents(b.get(LandingSource.STRIPE_EVENTS)), identities, settings);
        Dataset<Row> timeline = CustomerTimeline.apply(subscriptions, Orders.apply(b, identities, settings));
        LocalDate asOf = LocalDate.parse("2025-06-01");
        Dataset<Row> outcomes = TicketOutcomes.apply(Tickets.apply(b, identities, settings), timeline,
                AsOf.endOfDay(asOf), settings.analytics().retentionHorizonDays());
        return ResolutionTimeVsRetention.apply(outcomes, asOf, settings.analytics())
                .filter(col(ResolutionTimeVsRetention.TICKETS).gt(0))
                .select(concat_ws(" ", col(ResolutionTimeVsRetention.METRIC), col(ResolutionTimeVsRetention.BUCKET),
                        col(ResolutionTimeVsRetention.TICKETS), col(ResolutionTimeVsRetention.CUSTOMERS),
                        col(ResolutionTimeVsRetention.RETAINED)))
                .as(Encoders.STRING()).collectAsList();
    }

    private static Dataset<Row> bronze(SparkSession spark, LandingSource source, String text) {
        return BronzeFiles.of(spark, source, source.sourceName() + "-1", "run-1", "2025-06-01T00:00:00Z", text);
    }

    /** Source id → resolved email, from bronze frames of the given (source, file name, text) triples. */
    private static Map<String, String> emails(SparkSession spark, Object... sourceFileText) {
        Map<LandingSource, Dataset<Row>> frames = new HashMap<>();
        for (int i = 0; i < sourceFileText.length; i += 3) {
            LandingSource source = (LandingSource) sourceFileText[i];
            frames.put(source, BronzeFiles.of(spark, source, (String) sourceFileText[i + 1], "run-1",
                    "2025-06-01T00:00:00Z", (String) sourceFileText[i + 2]));
        }
        BronzeTables bronze = BronzeTables.of(spark, frames);
        Dataset<Row> identities = CustomerIdentities.apply(CustomerIdentities.observations(bronze, IDENTITY));
        Map<String, String> out = new HashMap<>();
        for (Row r : identities.select(col(CustomerIdentities.SOURCE), col(CustomerIdentities.SOURCE_ID),
                col(CustomerIdentities.EMAIL), col(CustomerIdentities.CUSTOMER_ID),
                Identity.customerIdFromEmail(col(CustomerIdentities.EMAIL))).collectAsList()) {
            out.put(r.getString(0) + ":" + r.getString(1), r.getString(2));
            if (!r.isNullAt(2)) {
                assertThat(r.getString(3)).as("the customer follows the email").isEqualTo(r.getString(4));
            }
        }
        return out;
    }
}
