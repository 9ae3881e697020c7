package io.supportroi.cli;

import io.supportroi.analytics.ResolutionTimeVsRetention;
import io.supportroi.config.Settings;
import io.supportroi.generate.GeneratorOptions;
import io.supportroi.ops.Runs;
import io.supportroi.ops.RunLock;
import io.supportroi.ops.TableRef;
import io.supportroi.ops.Warehouse;
import io.supportroi.testing.Fixtures;
import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The command line as a user drives it, in this JVM (the child-JVM runs are in the *IT tests): the same night run
 * twice through {@code nightly} — the second run ingests nothing and leaves every table as it was, commit for
 * commit — then {@code sql} against the warehouse.
 */
@ExtendWith(SparkTest.class)
class CliTest {
    @TempDir
    static Path tmp;
    private static String warehouse;
    private static Warehouse wh;
    private static Run first;
    private static Run second;
    private static final Map<TableRef, List<String>> rowsAfterFirst = new HashMap<>();
    private static final Map<TableRef, Long> versionsAfterFirst = new HashMap<>();

    record Run(int code, String out, String err) {}

    @BeforeAll
    static void nightlyTwice(SparkSession spark) {
        Path landing = Fixtures.copy("handwritten", tmp.resolve("landing"));
        warehouse = tmp.resolve("wh").toString();
        wh = new Warehouse(spark, warehouse);
        // The shipped settings for a small business, as a user with one would pass them: the command line's defaults
        // are sized for a cluster and take half as long again on this fixture.
        String conf = Path.of("..", "conf", "small.conf").toAbsolutePath().toString();
        first = run("nightly", "--landing", landing.toString(), "--warehouse", warehouse, "--conf", conf);
        for (TableRef t : wh.listTables()) {
            rowsAfterFirst.put(t, Frames.sortedRows(wh.read(t)));
            versionsAfterFirst.put(t, wh.latestVersion(t));
        }
        second = run("nightly", "--landing", landing.toString(), "--warehouse", warehouse, "--conf", conf);
    }

    @Test
    void theFirstRunSucceedsAndCountsEveryRecord() {
        assertThat(first.code()).as(first.err()).isZero();
        // as-of defaults to the latest event in the data: sub_A's end on 2025-04-18
        assertThat(first.out()).contains("succeeded").contains("(as-of 2025-04-18)")
                .contains("files ingested: 21").contains("quarantined: 9");
        assertThat(wh.exists(ResolutionTimeVsRetention.TABLE)).isTrue();
    }

    @Test
    void theSecondRunIngestsNothingAndCommitsNothing() {
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(second.out()).contains("succeeded").contains("files ingested: 0");
        for (TableRef t : rowsAfterFirst.keySet()) {
            if (io.supportroi.ops.Nightly.LEDGERS.contains(t)) {
                continue;
            }
            assertThat(Frames.sortedRows(wh.read(t))).as(t.qualified()).isEqualTo(rowsAfterFirst.get(t));
            assertThat(wh.latestVersion(t)).as(t.qualified() + " version").isEqualTo(versionsAfterFirst.get(t));
        }
    }

    @Test
    void opsRunsHasOneRowPerRunWithCountsPerTable() {
        List<Row> runs = wh.read(Runs.TABLE).orderBy(Runs.STARTED_AT).collectAsList();
        assertThat(runs).hasSize(2);
        Row r = runs.get(0);
        assertThat(r.<String>getAs(Runs.STATUS)).isEqualTo(Runs.SUCCEEDED);
        assertThat(first.out()).contains("run " + r.<String>getAs(Runs.RUN_ID) + " succeeded");
        assertThat(r.<Long>getAs(Runs.ROWS_QUARANTINED)).isEqualTo(9L);
        assertThat(r.<Long>getAs(Runs.FILES_INGESTED)).isEqualTo(21L);
        List<Row> tables = r.getList(r.fieldIndex(Runs.TABLES));
        assertThat(tables).extracting(t -> t.<String>getAs(Runs.T_TABLE))
                .contains("bronze.stripe_events", "silver.tickets", "gold.resolution_time_vs_retention");
        Row stripe = tables.stream().filter(t -> t.<String>getAs(Runs.T_TABLE).equals("bronze.stripe_events"))
                .findFirst().orElseThrow();
        assertThat(stripe.<Long>getAs(Runs.T_ROWS_READ)).isEqualTo(18L);
        assertThat(stripe.<Long>getAs(Runs.T_ROWS_WRITTEN)).isEqualTo(17L);
        assertThat(stripe.<Long>getAs(Runs.T_ROWS_QUARANTINED)).isEqualTo(1L);
        assertThat(runs.get(1).<Long>getAs(Runs.FILES_INGESTED)).isZero();
    }

    @Test
    void sqlAddressesTablesByLayerAndPrintsCsv() {
        Run r = run("sql", "--warehouse", warehouse, "--format", "csv",
                "SELECT ticket_id, channel, resolution_hours FROM silver.tickets "
                        + "WHERE ticket_id IN ('zendesk:101', 'zendesk:102') ORDER BY ticket_id");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip().lines()).containsExactly(
                "ticket_id,channel,resolution_hours", "zendesk:101,chat,3.0", "zendesk:102,email,24.0");
    }

    @Test
    void sqlPrintsJsonAndAlignedTables() {
        Run json = run("sql", "--warehouse", warehouse, "--format", "json",
                "SELECT count(*) AS n FROM ops.quarantine");
        assertThat(json.out().strip()).isEqualTo("{\"n\":9}");
        Run table = run("sql", "--warehouse", warehouse,
                "SELECT metric, bucket, tickets FROM gold.resolution_time_vs_retention WHERE bucket_order = 0 ORDER BY metric");
        assertThat(table.out()).contains("| metric ").contains("| first_response_time |").contains("2 row(s)");
    }

    @Test
    void unknownTablesAndBadSqlAreClearErrorsWithoutStackTraces() {
        Run unknown = run("sql", "--warehouse", warehouse, "SELECT * FROM gold.no_such_table");
        assertThat(unknown.code()).isEqualTo(Main.BAD_ARGUMENTS);
        assertThat(unknown.err()).contains("no_such_table").doesNotContain("\tat ");
        Run bad = run("sql", "--warehouse", warehouse, "SELEC oops");
        assertThat(bad.code()).isEqualTo(Main.BAD_ARGUMENTS);
        assertThat(bad.err()).doesNotContain("\tat ");
    }

    @Test
    void sqlIsReadOnlyUnlessWritesAreAllowed() {
        TableRef pnl = io.supportroi.analytics.pnl.SupportPnlMonthly.TABLE;
        List<String> rows = Frames.sortedRows(wh.read(pnl));
        long version = wh.latestVersion(pnl);
        for (String write : List.of("DROP TABLE " + pnl.qualified(), "DELETE FROM " + pnl.qualified(),
                "INSERT INTO " + pnl.qualified() + " SELECT * FROM " + pnl.qualified(),
                "WITH x AS (SELECT 1) INSERT OVERWRITE " + pnl.qualified() + " SELECT * FROM " + pnl.qualified())) {
            Run refused = run("sql", "--warehouse", warehouse, write);
            assertThat(refused.code()).as(write).isEqualTo(Main.BAD_ARGUMENTS);
            assertThat(refused.err()).as(write).contains("read-only").contains("--allow-write")
                    .doesNotContain("\tat ");
        }
        assertThat(Frames.sortedRows(wh.read(pnl))).isEqualTo(rows);
        assertThat(wh.latestVersion(pnl)).isEqualTo(version);

        Run described = run("sql", "--warehouse", warehouse, "--format", "csv", "DESCRIBE " + pnl.qualified());
        assertThat(described.code()).as(described.err()).isZero();
        assertThat(described.out()).contains("net_profit");
        // A statement that changes the session only (no table), refused and then allowed.
        String view = "CREATE OR REPLACE TEMPORARY VIEW cli_scratch AS SELECT 1 AS one";
        assertThat(run("sql", "--warehouse", warehouse, view).code()).isEqualTo(Main.BAD_ARGUMENTS);
        Run allowed = run("sql", "--warehouse", warehouse, "--allow-write", view);
        assertThat(allowed.code()).as(allowed.err()).isZero();
    }

    @Test
    void withoutSqlStatementsAreReadFromStandardInputAndAnErrorDoesNotEndTheSession() {
        String session = String.join("\n", "SELECT count(*) AS n FROM ops.quarantine;", "SELECT * FROM gold.nope;",
                "SELECT assert_true(1 = 2);", "DROP TABLE gold.support_pnl_monthly;", "SELECT 1 AS a,", "       2 AS b;", "quit",
                "SELECT 'after quit' AS never;", "");
        java.io.InputStream oldIn = System.in;
        Run r;
        try {
            System.setIn(new java.io.ByteArrayInputStream(session.getBytes(StandardCharsets.UTF_8)));
            r = run("sql", "--warehouse", warehouse, "--format", "csv");
        } finally {
            System.setIn(oldIn);
        }
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip().lines()).containsExactly("n", "9", "a,b", "1,2");
        assertThat(r.err()).contains("nope").contains("read-only").contains("statement failed")
                .doesNotContain("\tat ");
        assertThat(wh.exists(io.supportroi.analytics.pnl.SupportPnlMonthly.TABLE)).isTrue();
    }

    @Test
    void badArgumentsExitWithTwo() {
        assertThat(run("nightly", "--as-of", "yesterday").code()).isEqualTo(Main.BAD_ARGUMENTS);
        assertThat(run("no-such-command").code()).isEqualTo(Main.BAD_ARGUMENTS);
        assertThat(run("sql", "--warehouse", warehouse, "--format", "xml", "SELECT 1").code()).isEqualTo(Main.BAD_ARGUMENTS);
    }

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void theDemoNeverDeletesAWarehouseARunIsUsing(SparkSession spark, @TempDir Path dir) throws Exception {
        Demo.Options options = new Demo.Options(dir.resolve("demo"), 50, 1L, GeneratorOptions.Helpdesk.ZENDESK,
                GeneratorOptions.Shop.SHOPIFY, GeneratorOptions.Billing.STRIPE, false, null);
        Path table = Files.writeString(Files.createDirectories(options.warehouse().resolve("silver/tickets"))
                .resolve("part-0.parquet"), "a running night's table");
        Settings settings = SparkTest.settings().withPaths(options.landing().toString(),
                options.warehouse().toString());
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        try (RunLock night = RunLock.acquire(new Warehouse(spark, options.warehouse().toString()), "nightly-1",
                Duration.ZERO)) {
            assertThatThrownBy(() -> Demo.run(spark, settings, options, quiet, quiet))
                    .isInstanceOf(RunLock.Busy.class).hasMessageContaining("nightly-1");
        }

        assertThat(table).exists();
        assertThat(options.landing()).doesNotExist();
    }
}
