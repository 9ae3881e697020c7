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
    private static final String RECORDS = "_source_file STRING, _file_hash STRING, _line BIGINT, _record_index BIGINT, "
            + "_raw STRING, _split_error STRING";

    @Test
    void goodRecordsParseAndBadOnesCarryAReason(SparkSession spark) {
        Dataset<Row> records = Frames.of(spark, RECORDS,
                row("f", "h", 1L, 0L, "{\"id\": 1, \"created_at\": \"2025-01-02T03:04:05Z\", \"updated_at\": \"2025-01-02T03:04:05Z\", \"via\": {\"channel\": \"email\"}, \"brand_new_field\": 7}", null),
                row("f", "h", 2L, 1L, "{\"id\": 2, \"created_at\": ", null),
                row("f", "h", 3L, 2L, "{\"id\": \"not a number\", \"created_at\": \"2025-01-02T03:04:05Z\", \"updated_at\": \"2025-01-02T03:04:05Z\"}", null),
                row("f", "h", 4L, 3L, "{\"created_at\": \"2025-01-02T03:04:05Z\", \"updated_at\": \"2025-01-02T03:04:05Z\"}", null),
                row("f", "h", 5L, 4L, "{\"id\": 5, \"created_at\": \"yesterday\", \"updated_at\": \"2025-01-02T03:04:05Z\"}", null),
                row("f", "h", 6L, 5L, "[{\"id\": 6}]", null),
                row("f", "h", 7L, 6L, "{\"id\": 7", "record is cut off at the end of the file (truncated)"));
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
                row("s", "h", 1L, 0L, "{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"created\":1736000000,\"data\":{\"object\":{\"id\":\"in_1\",\"amount_paid\":3900}}}", null),
                row("s", "h", 2L, 1L, "{\"id\":\"evt_2\",\"type\":\"invoice.paid\",\"created\":1736000000}", null));
        Dataset<Row> parsed = BronzeIngest.parse(records, LandingSource.STRIPE_EVENTS);
        assertThat(parsed.filter(col(BronzeIngest.REASON).isNull()).count()).isEqualTo(1);
        assertThat(parsed.filter(col(Bronze.LINE).equalTo(2)).head().<String>getAs(BronzeIngest.REASON))
                .isEqualTo("missing required field data.object");
    }
}
