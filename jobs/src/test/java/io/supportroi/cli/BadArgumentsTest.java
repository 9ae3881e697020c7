package io.supportroi.cli;

import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command refuses a bad argument, path or setting the same way: exit code 2, one line on stderr that says what
 * is wrong (naming the option, or the file and key of a setting), no stack trace, and nothing done: the warehouse
 * next to it keeps every table's version. All are refused before Spark has work to do, so each case takes
 * milliseconds.
 */
@ExtendWith(SparkTest.class)
class BadArgumentsTest {
    private static final String WH = "${wh}";
    private static final String LANDING = "${landing}";
    private static final String FILE = "${file}";
    private static final String TMP = "${tmp}";
    private static final String MISSING = "${tmp}/missing";

    @TempDir
    static Path tmp;
    private static Map<String, Long> versions;

    @BeforeAll
    static void aWarehouseALandingAFileAndBadConfs(SparkSession spark) throws IOException {
        TinyWarehouse.create(spark, tmp.resolve("wh").toString());
        versions = TinyWarehouse.versions(tmp.resolve("wh"));
        Files.createDirectories(tmp.resolve("landing"));
        Files.writeString(tmp.resolve("file"), "a regular file\n");
        conf("syntax.conf", "supportroi { spark { shuffle-partitions = 2 }\n");
        conf("type.conf", "supportroi.analytics.retention-horizon-days = \"ninety\"\n");
        conf("unknown.conf", "supportroi.analytics.retention-horizon-dayz = 30\n");
        conf("bytes.conf", "supportroi.ingest.max-file-bytes = -1\n");
        conf("zero-bytes.conf", "supportroi.ingest.max-file-bytes = 0\n");
        conf("partitions.conf", "supportroi.spark.shuffle-partitions = 0\n");
        conf("share.conf", "supportroi.pnl.refund-share = 1.5\n");
        Files.writeString(tmp.resolve("effects.json"), "{\"upsell_conversion_rate\": ");
        Files.createDirectories(tmp.resolve("empty"));
    }

    @AfterEach
    void theWarehouseIsUnchanged() {
        assertThat(TinyWarehouse.versions(tmp.resolve("wh"))).isEqualTo(versions);
    }

    static Stream<Arguments> badArguments() {
        return Stream.of(
                // folders
                bad("landing " + MISSING + " does not exist", "nightly", "--landing", MISSING, "--warehouse", WH),
                bad("is a file, not a folder", "nightly", "--landing", FILE, "--warehouse", WH),
                bad("warehouse " + FILE + " cannot be a folder", "nightly", "--landing", LANDING, "--warehouse", FILE),
                bad(FILE + " is a file", "nightly", "--landing", LANDING, "--warehouse", FILE + "/wh"),
                bad("landing " + MISSING, "backfill", "--landing", MISSING, "--warehouse", WH,
                        "--from", "2025-03-01", "--to", "2025-03-02"),
                bad("warehouse " + FILE, "backfill", "--landing", LANDING, "--warehouse", FILE,
                        "--from", "2025-03-01", "--to", "2025-03-02"),
                bad("--out " + FILE, "generate", "--out", FILE, "--customers", "10", "--months", "1"),
                bad("--out " + FILE + "/landing", "generate", "--out", FILE + "/landing", "--customers", "10"),
                bad("--effects " + MISSING + ".json does not exist", "generate", "--out", TMP + "/gen",
                        "--effects", MISSING + ".json"),
                bad("warehouse file:wh is not a path", "nightly", "--landing", LANDING, "--warehouse", "file:wh"),
                bad("landing is not a path this machine can have", "nightly", "--landing", TMP + "/a\0b",
                        "--warehouse", WH),
                bad("effects file " + TMP + "/effects.json is not valid JSON", "generate", "--out", TMP + "/gen",
                        "--customers", "10", "--months", "1", "--effects", TMP + "/effects.json"),
                bad("no notebooks (*.ipynb) in", "notebooks", "--warehouse", WH, "--notebooks", TMP + "/empty",
                        "--out", TMP + "/nb"),
                bad("warehouse " + MISSING + " does not exist", "sql", "--warehouse", MISSING, "SELECT 1"),
                bad("warehouse " + FILE + " is a file", "sql", "--warehouse", FILE, "SELECT 1"),
                bad("warehouse " + MISSING, "status", "--warehouse", MISSING),
                bad("warehouse " + FILE, "status", "--warehouse", FILE),
                bad("warehouse " + MISSING, "report", "--warehouse", MISSING, "--out", TMP + "/report"),
                bad("--out " + FILE, "report", "--warehouse", WH, "--out", FILE),
                bad("warehouse " + MISSING, "notebooks", "--warehouse", MISSING, "--out", TMP + "/nb"),
                bad("--out " + FILE, "notebooks", "--warehouse", WH, "--notebooks", TMP, "--out", FILE),
                bad("--notebooks " + MISSING, "notebooks", "--warehouse", WH, "--notebooks", MISSING,
                        "--out", TMP + "/nb"),
                bad("warehouse " + MISSING, "register", "--warehouse", MISSING),
                bad("no Hive metastore configured", "register", "--warehouse", WH),
                bad("--workdir " + FILE, "demo", "--workdir", FILE),
                bad("--workdir " + FILE, "bench", "--workdir", FILE),
                bad("--out " + TMP + " is a folder", "bench", "--workdir", TMP + "/bench", "--out", TMP),
                // dates
                bad("'2025-02-30' is not a date YYYY-MM-DD (Invalid date 'FEBRUARY 30')", "nightly", "--landing",
                        LANDING, "--warehouse", WH, "--as-of", "2025-02-30"),
                bad("'yesterday' is not a date", "nightly", "--as-of", "yesterday"),
                bad("'2025: 02' is not a date YYYY-MM-DD (see", "nightly", "--as-of", "2025: 02"),
                bad("--from 2025-03-02 is after --to 2025-03-01", "backfill", "--landing", LANDING,
                        "--warehouse", WH, "--from", "2025-03-02", "--to", "2025-03-01"),
                bad("'2025-02-30' is not a date", "backfill", "--from", "2025-02-30", "--to", "2025-03-01"),
                bad("Missing required option: '--to", "backfill", "--from", "2025-03-01"),
                bad("'2025-13-01' is not a date", "generate", "--out", TMP + "/gen", "--start", "2025-13-01"),
                // sizes
                bad("--customers must be at least 1, got -5", "generate", "--out", TMP + "/gen", "--customers", "-5"),
                bad("--months must be at least 1, got 0", "generate", "--out", TMP + "/gen", "--months", "0"),
                bad("--customers must be at least 1, got -5", "demo", "--workdir", TMP + "/demo", "--customers", "-5"),
                bad("--customers must be between 1 and", "demo", "--workdir", TMP + "/demo", "--customers",
                        "40000000"),
                bad("--helpdesk must be one of", "demo", "--workdir", TMP + "/demo", "--helpdesk", "fax"),
                bad("--customers must be at least 1, got -5", "bench", "--workdir", TMP + "/bench",
                        "--customers", "-5"),
                bad("'abc' is not an int", "bench", "--customers", "10,abc"),
                bad("--months must be at least 1, got 0", "bench", "--workdir", TMP + "/bench", "--months", "0"),
                bad("--runs must be at least 1, got 0", "bench", "--workdir", TMP + "/bench", "--runs", "0"),
                bad("--full-runs must be 0 or more, got -1", "bench", "--workdir", TMP + "/bench",
                        "--full-runs", "-1"),
                bad("--limit must be at least 1, got -1", "sql", "--warehouse", WH, "--limit", "-1", "SELECT 1"),
                bad("--runs must be at least 1, got 0", "status", "--warehouse", WH, "--runs", "0"),
                bad("--wait must be 0 or more, got -1", "nightly", "--landing", LANDING, "--warehouse", WH,
                        "--wait", "-1"),
                bad("--wait must be 0 or more, got -1", "backfill", "--landing", LANDING, "--warehouse", WH,
                        "--from", "2025-03-01", "--to", "2025-03-02", "--wait", "-1"),
                bad("--format must be table, csv or json, not xml", "sql", "--warehouse", WH, "--format", "xml",
                        "SELECT 1"),
                bad("generate: --helpdesk must be one of", "generate", "--out", TMP + "/gen", "--helpdesk", "fax"),
                // settings
                bad("config file not found: " + MISSING + ".conf", "nightly", "--landing", LANDING,
                        "--warehouse", WH, "--conf", MISSING + ".conf"),
                bad("config file " + TMP + " is a folder", "status", "--warehouse", WH, "--conf", TMP),
                bad("syntax.conf", "nightly", "--landing", LANDING, "--warehouse", WH, "--conf", TMP + "/syntax.conf"),
                bad("retention-horizon-days", "sql", "--warehouse", WH, "--conf", TMP + "/type.conf", "SELECT 1"),
                bad("supportroi.analytics.retention-horizon-dayz", "report", "--warehouse", WH,
                        "--out", TMP + "/report", "--conf", TMP + "/unknown.conf"),
                bad("bytes.conf: 1: Invalid value at 'ingest.max-file-bytes'", "nightly", "--landing", LANDING,
                        "--warehouse", WH, "--conf", TMP + "/bytes.conf"),
                bad("supportroi.ingest.max-file-bytes must be at least 1: 0 (in " + TMP + "/zero-bytes.conf)",
                        "nightly", "--landing", LANDING, "--warehouse", WH, "--conf", TMP + "/zero-bytes.conf"),
                bad("supportroi.spark.shuffle-partitions must be at least 1: 0", "backfill", "--landing", LANDING,
                        "--warehouse", WH, "--from", "2025-03-01", "--to", "2025-03-02",
                        "--conf", TMP + "/partitions.conf"),
                bad("supportroi.pnl.refund-share must be between 0 and 1: 1.5", "generate", "--out", TMP + "/gen",
                        "--conf", TMP + "/share.conf"),
                bad("syntax.conf", "demo", "--workdir", TMP + "/demo", "--conf", TMP + "/syntax.conf"),
                bad("type.conf", "bench", "--workdir", TMP + "/bench", "--conf", TMP + "/type.conf"),
                bad("unknown.conf", "notebooks", "--warehouse", WH, "--out", TMP + "/nb", "--conf",
                        TMP + "/unknown.conf"),
                bad("bytes.conf", "register", "--warehouse", WH, "--conf", TMP + "/bytes.conf"),
                // the command line itself
                bad("a command is required"),
                bad("Unmatched argument at index 0: 'no-such-command'", "no-such-command"),
                bad("Unknown option: '--no-such-option'", "status", "--no-such-option"));
    }

    @ParameterizedTest(name = "[{index}] supportroi {1}")
    @MethodSource("badArguments")
    void isOneLineWithExitCodeTwo(String expected, String commandLine, String[] args) {
        CommandRun r = CommandRun.of(Arrays.stream(args).map(BadArgumentsTest::resolve).toArray(String[]::new));
        r.assertOneLineBadArgument();
        assertThat(r.err()).as(r.toString()).contains(resolve(expected)).doesNotContain("at io.");
        assertThat(r.out()).as(r.toString()).isEmpty();
        assertThat(r.stdout()).as(r.toString()).isEmpty();
    }

    private static Arguments bad(String expected, String... args) {
        return Arguments.of(expected, String.join(" ", args), args);
    }

    private static String resolve(String s) {
        return s.replace(WH, tmp.resolve("wh").toString()).replace(LANDING, tmp.resolve("landing").toString())
                .replace(FILE, tmp.resolve("file").toString()).replace(TMP, tmp.toString());
    }

    private static void conf(String name, String text) throws IOException {
        Files.writeString(tmp.resolve(name), text);
    }
}
