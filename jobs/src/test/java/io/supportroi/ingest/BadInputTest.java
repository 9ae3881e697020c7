package io.supportroi.ingest;

import io.supportroi.config.Settings;
import io.supportroi.model.Orders;
import io.supportroi.model.SilverBuild;
import io.supportroi.model.Tickets;
import io.supportroi.ops.IngestedFiles;
import io.supportroi.ops.Quarantine;
import io.supportroi.ops.Warehouse;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inputs real exports arrive with, each in a file of its own, in one landing: every case ends as written
 * records or as quarantined ones with a reason, never as a crash or a silent drop, and the run's counts add up
 * (every record read is written or quarantined).
 */
@ExtendWith(SparkTest.class)
class BadInputTest {
    @TempDir
    static Path tmp;

    private static Warehouse wh;
    private static List<BronzeIngest.SourceResult> results;
    /** Manifest rows by file name. */
    private static final Map<String, Row> files = new HashMap<>();
    private static Path landing;

    private static final String TICKETS = "ticket_id,created_at,status,channel,customer_email,customer_name,handle_seconds";
    private static final String ORDERS = "order_id,ordered_at,customer_email,currency,total";
    private static final int HUGE_BYTES = 50 * 1024 * 1024;

    private static String zendeskTicket(long id) {
        return "{\"id\":" + id + ",\"requester_id\":" + (9000 + id) + ",\"via\":{\"channel\":\"email\"},"
                + "\"status\":\"open\",\"created_at\":\"2025-03-03T10:00:00Z\",\"updated_at\":\"2025-03-03T10:00:00Z\"}";
    }

    private static String csvTicket(String id, String createdAt, String name) {
        return String.join(",", id, createdAt, "open", "email", id.toLowerCase() + "@example.com", name, "300");
    }

    private static void write(String relative, byte[] bytes) throws Exception {
        Path p = landing.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
    }

    private static void write(String relative, String text) throws Exception {
        write(relative, text.getBytes(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void ingestEveryCase(SparkSession spark) throws Exception {
        landing = tmp.resolve("landing");
        // JSON pages: cut off mid-record; an element that is an array, not an object; a page that is a bare
        // array; an id of the wrong type; a zero-byte file.
        write("zendesk/tickets/truncated.json", "{\"tickets\":[" + zendeskTicket(201) + ",{\"id\":202,\"requester_id\":");
        write("zendesk/tickets/array-element.json", "{\"tickets\":[[202,\"x\"]," + zendeskTicket(203) + "]}");
        write("zendesk/tickets/bare-array.json", "[" + zendeskTicket(204) + "]");
        write("zendesk/tickets/wrong-types.json", "{\"tickets\":[" + zendeskTicket(205).replace("\"id\":205",
                "\"id\":\"two hundred five\"") + "]}");
        write("zendesk/tickets/zero-bytes.json", new byte[0]);
        // JSON Lines: one line of 50 MB; a file of blank lines; CRLF line ends.
        String huge = "{\"id\":\"evt_huge\",\"type\":\"customer.updated\",\"created\":1741000000,\"data\":{\"object\":"
                + "{\"id\":\"cus_huge\",\"email\":\"huge@example.com\",\"description\":\"" + "x".repeat(HUGE_BYTES)
                + "\"}}}\n";
        write("stripe/events/huge.jsonl", huge);
        write("stripe/events/blank.jsonl", "\n  \n\n");
        write("stripe/events/crlf.jsonl", "{\"id\":\"evt_crlf\",\"type\":\"customer.created\",\"created\":1741000000,"
                + "\"data\":{\"object\":{\"id\":\"cus_crlf\",\"email\":\"crlf@example.com\"}}}\r\n");
        // CSV: a byte-order mark; Latin-1 bytes; CRLF; missing and extra fields; a quoted newline; the same file
        // again under another name; offsets on both sides of two DST changes; a date in the future.
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
        byte[] bomBody = (TICKETS + "\n" + csvTicket("T-BOM", "2025-03-01T10:00:00Z", "Bo") + "\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[bom.length + bomBody.length];
        System.arraycopy(bom, 0, withBom, 0, bom.length);
        System.arraycopy(bomBody, 0, withBom, bom.length, bomBody.length);
        write("csv/tickets/bom.csv", withBom);
        write("csv/tickets/latin1.csv", (TICKETS + "\n" + csvTicket("T-LAT", "2025-03-01T10:00:00Z", "Jos\u00e9") + "\n"
                + csvTicket("T-ASCII", "2025-03-01T10:00:00Z", "Ann") + "\n").getBytes(StandardCharsets.ISO_8859_1));
        String crlf = TICKETS + "\r\n" + csvTicket("T-CRLF", "2025-03-01T10:00:00Z", "Cy") + "\r\n";
        write("csv/tickets/crlf.csv", crlf);
        write("csv/tickets/crlf-copy-under-another-name.csv", crlf);
        write("csv/tickets/ragged.csv", TICKETS + "\n" + "T-SHORT,2025-03-01T10:00:00Z,open,email,s@example.com,Sue\n"
                + csvTicket("T-LONG", "2025-03-01T10:00:00Z", "Lee") + ",extra\n");
        write("csv/tickets/quoted-newline.csv", TICKETS + "\n" + csvTicket("T-NL", "2025-03-01T10:00:00Z",
                "\"Ann\nMarie\"") + "\n");
        write("csv/tickets/zones.csv", String.join("\n", TICKETS,
                csvTicket("T-EU1", "2025-03-30T01:30:00+01:00", "Eu"), csvTicket("T-EU2", "2025-03-30T03:30:00+02:00", "Eu"),
                csvTicket("T-US1", "2025-03-09T01:59:00-05:00", "Us"), csvTicket("T-US2", "2025-03-09T03:01:00-04:00", "Us"),
                csvTicket("T-FAR", "2025-03-10T08:00:00+14:00", "Kiri")) + "\n");
        write("csv/tickets/future.csv", TICKETS + "\n" + csvTicket("T-FUT", "2099-01-01T00:00:00Z", "Fu") + "\n");
        // "The future" is the exporter's clock: a ticket dated weeks after its file was written is not real.
        write("csv/tickets/written-before-its-ticket.csv",
                TICKETS + "\n" + csvTicket("T-LATER", "2025-06-01T00:00:00Z", "La") + "\n");
        Files.setLastModifiedTime(landing.resolve("csv/tickets/written-before-its-ticket.csv"),
                FileTime.from(Instant.parse("2025-05-01T00:00:00Z")));
        // A file stamped in the future (a skewed clock) does not carry its records' future dates through.
        write("csv/tickets/stamped-in-the-future.csv",
                TICKETS + "\n" + csvTicket("T-STAMP", "2150-01-01T00:00:00Z", "St") + "\n");
        Files.setLastModifiedTime(landing.resolve("csv/tickets/stamped-in-the-future.csv"),
                FileTime.from(Instant.parse("2200-01-01T00:00:00Z")));
        // Money: a negative total; an order in another currency.
        write("csv/orders/negative.csv", ORDERS + "\nO-NEG,2025-03-01T10:00:00Z,neg@example.com,USD,-10.00\n");
        write("csv/orders/euro.csv", ORDERS + "\nO-EUR,2025-03-01T10:00:00Z,eu@example.com,eur,50.00\n"
                + "O-USD,2025-03-01T11:00:00Z,us@example.com,USD,20.00\n");

        Settings settings = SparkTest.settings().withPaths(landing.toString(), tmp.resolve("wh").toString());
        wh = new Warehouse(spark, settings.warehouse());
        results = BronzeIngest.run(wh, settings.landing(), "run-1", Timestamp.from(Instant.now()),
                settings.ingest().maxFileBytes());
        SilverBuild.build(wh, settings, "run-1");
        for (Row r : wh.read(IngestedFiles.TABLE).collectAsList()) {
            String path = r.getAs(IngestedFiles.PATH);
            files.put(path.substring(path.lastIndexOf('/') + 1), r);
        }
    }

    private static long count(String file, String column) {
        Row r = files.get(file);
        assertThat(r).as("%s is in the manifest", file).isNotNull();
        return r.<Long>getAs(column);
    }

    private static List<String> reasons(String file) {
        return wh.read(Quarantine.TABLE).filter(col(Quarantine.FILE).endsWith("/" + file))
                .orderBy(Quarantine.LINE, Quarantine.RECORD_INDEX).select(Quarantine.REASON)
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    }

    private static Row ticket(String id) {
        List<Row> rows = wh.read(Tickets.TABLE).filter(col(Tickets.TICKET_ID).equalTo(id)).collectAsList();
        assertThat(rows).as(id).hasSize(1);
        return rows.get(0);
    }

    @Test
    void everyRecordReadIsWrittenOrQuarantinedFileByFile() {
        assertThat(files).hasSize(20);
        for (Map.Entry<String, Row> f : files.entrySet()) {
            Row r = f.getValue();
            assertThat(r.<Long>getAs(IngestedFiles.RECORDS)).as(f.getKey())
                    .isEqualTo(r.<Long>getAs(IngestedFiles.WRITTEN) + r.<Long>getAs(IngestedFiles.QUARANTINED));
            assertThat(reasons(f.getKey())).as(f.getKey()).hasSize(r.<Long>getAs(IngestedFiles.QUARANTINED).intValue());
        }
        for (BronzeIngest.SourceResult r : results) {
            assertThat(r.read()).as(r.source().name()).isEqualTo(r.written() + r.quarantined());
            if (r.written() > 0) {
                assertThat(wh.read(r.source().bronze()).count()).as(r.source().name()).isEqualTo(r.written());
            }
        }
        assertThat(wh.read(Quarantine.TABLE).count())
                .isEqualTo(results.stream().mapToLong(BronzeIngest.SourceResult::quarantined).sum());
    }

    @Test
    void brokenJsonIsQuarantinedAndItsGoodRecordsKept() {
        assertThat(reasons("truncated.json")).singleElement().asString().contains("truncated");
        assertThat(count("truncated.json", IngestedFiles.WRITTEN)).isEqualTo(1);
        assertThat(reasons("array-element.json")).hasSize(1);
        assertThat(count("array-element.json", IngestedFiles.WRITTEN)).isEqualTo(1);
        assertThat(count("bare-array.json", IngestedFiles.WRITTEN)).isEqualTo(1);
        assertThat(reasons("wrong-types.json")).hasSize(1);
        assertThat(count("wrong-types.json", IngestedFiles.WRITTEN)).isZero();
        ticket("zendesk:201");
        ticket("zendesk:203");
        ticket("zendesk:204");
    }

    @Test
    void emptyFilesAreRecordedWithNothingInThem() {
        assertThat(count("zero-bytes.json", IngestedFiles.RECORDS)).isZero();
        assertThat(count("blank.jsonl", IngestedFiles.RECORDS)).isZero();
    }

    @Test
    void aFiftyMegabyteLineIsOneRecord() {
        assertThat(count("huge.jsonl", IngestedFiles.RECORDS)).isEqualTo(1);
        assertThat(count("huge.jsonl", IngestedFiles.WRITTEN)).isEqualTo(1);
        Row event = wh.read(LandingSource.STRIPE_EVENTS.bronze()).filter(col("id").equalTo("evt_huge")).first();
        assertThat(event.<String>getAs(io.supportroi.ingest.Bronze.RAW).length()).isGreaterThan(HUGE_BYTES);
    }

    @Test
    void encodingsAndLineEndsAreReadOrFlagged() {
        assertThat(ticket("csv:T-BOM")).isNotNull();
        assertThat(count("crlf.jsonl", IngestedFiles.WRITTEN)).isEqualTo(1);
        assertThat(reasons("latin1.csv")).containsExactly(RecordSplitter.NOT_UTF8);
        ticket("csv:T-ASCII");
        Row crlf = wh.read(LandingSource.CSV_TICKETS.bronze()).filter(col("ticket_id").equalTo("T-CRLF")).first();
        assertThat(crlf.<String>getAs("handle_seconds")).isEqualTo("300");
        assertThat(wh.read(LandingSource.CSV_TICKETS.bronze()).filter(col("ticket_id").equalTo("T-NL")).first()
                .<String>getAs("customer_name")).isEqualTo("Ann\nMarie");
    }

    @Test
    void rowsWithTooFewOrTooManyFieldsAreQuarantined() {
        assertThat(reasons("ragged.csv")).containsExactly("has 6 fields, header has 7", "has 8 fields, header has 7");
    }

    @Test
    void theSameFileUnderAnotherNameIsReadOnceAndRecordedAsADuplicate() {
        // The first of the two in path order is read; the other is recorded as its copy, with no records.
        assertThat(count("crlf-copy-under-another-name.csv", IngestedFiles.WRITTEN)).isEqualTo(1);
        assertThat(files.get("crlf-copy-under-another-name.csv").<String>getAs(IngestedFiles.DUPLICATE_OF)).isNull();
        assertThat(count("crlf.csv", IngestedFiles.RECORDS)).isZero();
        assertThat(files.get("crlf.csv").<String>getAs(IngestedFiles.DUPLICATE_OF))
                .endsWith("/crlf-copy-under-another-name.csv");
        assertThat(results.stream().filter(r -> r.source() == LandingSource.CSV_TICKETS).findFirst().orElseThrow()
                .duplicates()).isEqualTo(1);
        assertThat(ticket("csv:T-CRLF")).isNotNull();
    }

    @Test
    void offsetsAcrossDaylightSavingChangesBecomeTheRightUtcInstants() {
        assertThat(ticket("csv:T-EU1").<Timestamp>getAs(Tickets.CREATED_AT).toInstant())
                .isEqualTo(Instant.parse("2025-03-30T00:30:00Z"));
        assertThat(ticket("csv:T-EU2").<Timestamp>getAs(Tickets.CREATED_AT).toInstant())
                .isEqualTo(Instant.parse("2025-03-30T01:30:00Z"));
        assertThat(ticket("csv:T-US1").<Timestamp>getAs(Tickets.CREATED_AT).toInstant())
                .isEqualTo(Instant.parse("2025-03-09T06:59:00Z"));
        assertThat(ticket("csv:T-US2").<Timestamp>getAs(Tickets.CREATED_AT).toInstant())
                .isEqualTo(Instant.parse("2025-03-09T07:01:00Z"));
        assertThat(ticket("csv:T-FAR").<Timestamp>getAs(Tickets.CREATED_AT).toInstant())
                .isEqualTo(Instant.parse("2025-03-09T18:00:00Z"));
    }

    @Test
    void futureDatesAndNegativeAmountsAreQuarantined() {
        assertThat(reasons("future.csv")).singleElement().asString().startsWith("in the future");
        assertThat(reasons("written-before-its-ticket.csv")).singleElement().asString()
                .startsWith("in the future (after its file was written)");
        assertThat(reasons("stamped-in-the-future.csv")).singleElement().asString().startsWith("in the future");
        assertThat(reasons("negative.csv")).singleElement().asString().startsWith("not an amount >= 0 in total");
    }

    @Test
    void anOrderInAnotherCurrencyKeepsItsCurrency() {
        Map<String, String> currency = new HashMap<>();
        for (Row r : wh.read(Orders.TABLE).collectAsList()) {
            currency.put(r.getAs(Orders.ORDER_ID), r.getAs(Orders.CURRENCY));
        }
        assertThat(currency).containsEntry("csv:O-EUR", "EUR").containsEntry("csv:O-USD", "USD")
                .doesNotContainKey("csv:O-NEG");
    }
}
