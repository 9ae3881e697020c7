package io.supportroi.ingest;

import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.supportroi.testing.Frames.row;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(SparkTest.class)
class BronzeParseTest {
    /** Records as the splitter cuts them; the file's write time is left null, which checks against now. */
    private static final String RECORDS = BronzeIngest.RECORDS_SCHEMA.toDDL();

    @Test
    void goodRecordsParseAndBadOnesCarryAReason(SparkSession spark) {
        Dataset<Row> records = Frames.of(spark, RECORDS,
                row("f", "h", 1L, 0L, "{\"id\": 1, \"requester_id\": 9, \"created_at\": \"2025-01-02T03:04:05Z\", \"updated_at\": \"2025-01-02T03:04:05Z\", \"via\": {\"channel\": \"email\"}, \"brand_new_field\": 7}", null, null),
                row("f", "h", 2L, 1L, "{\"id\": 2, \"created_at\": ", null, null),
                row("f", "h", 3L, 2L, "{\"id\": \"not a number\", \"created_at\": \"2025-01-02T03:04:05Z\", \"updated_at\": \"2025-01-02T03:04:05Z\"}", null, null),
                row("f", "h", 4L, 3L, "{\"created_at\": \"2025-01-02T03:04:05Z\", \"updated_at\": \"2025-01-02T03:04:05Z\"}", null, null),
                row("f", "h", 5L, 4L, "{\"id\": 5, \"requester_id\": 9, \"created_at\": \"yesterday\", \"updated_at\": \"2025-01-02T03:04:05Z\"}", null, null),
                row("f", "h", 6L, 5L, "[{\"id\": 6}]", null, null),
                row("f", "h", 7L, 6L, "{\"id\": 7", "record is cut off at the end of the file (truncated)", null));
        List<Row> parsed = BronzeIngest.parse(records, LandingSource.ZENDESK_TICKETS)
                .orderBy(Bronze.LINE).collectAsList();
        assertThat(parsed).hasSize(7);
        Row good = parsed.get(0);
        assertThat(good.<String>getAs(BronzeIngest.REASON)).isNull();
        assertThat(good.<Long>getAs("id")).isEqualTo(1L);
        assertThat(good.<Row>getAs("via").<String>getAs("channel")).isEqualTo("email");
        // a field the schema does not know is kept in _raw
        assertThat(good.<String>getAs(Bronze.RAW)).contains("brand_new_field");
        assertThat(parsed.get(1).<String>getAs(BronzeIngest.REASON)).contains("malformed JSON");
        assertThat(parsed.get(2).<String>getAs(BronzeIngest.REASON)).contains("malformed JSON or a field of the wrong type");
        assertThat(parsed.get(3).<String>getAs(BronzeIngest.REASON)).isEqualTo("missing required field id");
        assertThat(parsed.get(4).<String>getAs(BronzeIngest.REASON)).contains("unparseable timestamp in created_at");
        assertThat(parsed.get(5).<String>getAs(BronzeIngest.REASON)).isEqualTo("not a JSON object");
        assertThat(parsed.get(6).<String>getAs(BronzeIngest.REASON)).contains("truncated");
    }

    @Test
    void stripeEventsNeedTheirObject(SparkSession spark) {
        Dataset<Row> records = Frames.of(spark, RECORDS,
                row("s", "h", 1L, 0L, "{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"created\":1736000000,\"data\":{\"object\":{\"id\":\"in_1\",\"amount_paid\":3900}}}", null, null),
                row("s", "h", 2L, 1L, "{\"id\":\"evt_2\",\"type\":\"invoice.paid\",\"created\":1736000000}", null, null));
        Dataset<Row> parsed = BronzeIngest.parse(records, LandingSource.STRIPE_EVENTS);
        assertThat(parsed.filter(col(BronzeIngest.REASON).isNull()).count()).isEqualTo(1);
        assertThat(parsed.filter(col(Bronze.LINE).equalTo(2)).head().<String>getAs(BronzeIngest.REASON))
                .isEqualTo("missing required field data.object");
    }

    @Test
    void gorgiasMessagesAndSurveysAreChecked(SparkSession spark) {
        Dataset<Row> tickets = Frames.of(spark, RECORDS,
                row("g", "h", 1L, 0L, "{\"id\": 1, \"customer\": {\"id\": 6}, \"created_datetime\": \"2025-03-10T09:00:00\", \"messages\": "
                        + "[{\"from_agent\": true, \"sent_datetime\": \"2025-03-10T09:01:00.5\"}], \"new_thing\": 1}", null, null),
                row("g", "h", 2L, 1L, "{\"id\": 2, \"customer\": {\"id\": 6}, \"created_datetime\": \"2025-03-10T09:00:00\", \"messages\": "
                        + "[{\"sent_datetime\": \"2025-03-10T09:01:00\"}, {\"sent_datetime\": \"yesterday\"}]}", null, null),
                row("g", "h", 3L, 2L, "{\"id\": 3, \"created_datetime\": \"2025-03-10T09:00:00\", "
                        + "\"tags\": [\"not an object\"]}", null, null),
                row("g", "h", 4L, 3L, "{\"id\": 4, \"customer\": {\"email\": \"a@b.c\"}}", null, null),
                row("g", "h", 5L, 4L, "{\"id\": 5, \"created_datetime\": \"2025-03-10T09:00:00\"}", null, null));
        List<String> reasons = BronzeIngest.parse(tickets, LandingSource.GORGIAS_TICKETS).orderBy(Bronze.LINE)
                .select(BronzeIngest.REASON).collectAsList().stream().map(r -> r.getString(0)).toList();
        assertThat(reasons).containsExactly(null, "unparseable timestamp in messages[].sent_datetime: yesterday",
                "malformed JSON or a field of the wrong type", "missing required field created_datetime",
                "missing required field customer");

        Dataset<Row> surveys = Frames.of(spark, RECORDS,
                row("s", "h", 1L, 0L, "{\"ticket_id\": 1, \"score\": 5}", null, null),
                row("s", "h", 2L, 1L, "{\"ticket_id\": 2, \"score\": null}", null, null),
                row("s", "h", 3L, 2L, "{\"ticket_id\": 3, \"score\": 0}", null, null),
                row("s", "h", 4L, 3L, "{\"score\": 3}", null, null));
        List<String> surveyReasons = BronzeIngest.parse(surveys, LandingSource.GORGIAS_SATISFACTION_SURVEYS)
                .orderBy(Bronze.LINE).select(BronzeIngest.REASON).collectAsList().stream()
                .map(r -> r.getString(0)).toList();
        assertThat(surveyReasons).containsExactly(null, null, "out of range 1-5 in score: 0",
                "missing required field ticket_id");
    }

    @Test
    void everySourceHasASchemaAndItsChecksNameRealFields() {
        for (LandingSource s : LandingSource.values()) {
            for (String f : s.requiredFields()) {
                assertThat(s.schema().fieldNames()).as(s + " " + f).contains(f.split("\\.")[0]);
            }
            for (FieldRule r : s.rules()) {
                assertThat(s.schema().fieldNames()).as(s + " " + r.field()).contains(r.field().split("[.\\[]")[0]);
            }
        }
    }
}
