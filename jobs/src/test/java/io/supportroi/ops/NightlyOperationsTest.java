package io.supportroi.ops;

import io.supportroi.analytics.worklists.TicketPriorityQueue;
import io.supportroi.analytics.worklists.TopCustomersByOpenTickets;
import io.supportroi.analytics.worklists.UpsellWorklist;
import io.supportroi.analytics.worklists.WinbackWorklist;
import io.supportroi.analytics.GoldExports;
import io.supportroi.config.Settings;
import io.supportroi.testing.Fixtures;
import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs that fail, overlap or find a dead run's lock. Two nights of the hand-written exports: the files named
 * {@code -001} arrive on the first, the rest on the second. Every scenario must end with silver and gold exactly as
 * one undisturbed run over all the files leaves them.
 */
@org.junit.jupiter.api.Tag("slow")
@ExtendWith(SparkTest.class)
class NightlyOperationsTest {
    @TempDir
    static Path tmp;

    private static Path fullLanding;
    /** Silver and gold after one undisturbed run over every file: the winner of two runs started together. */
    private static final Map<TableRef, List<String>> reference = new HashMap<>();
    private static final List<Object> concurrentOutcomes = new ArrayList<>();
    private static Warehouse concurrentWh;

    @BeforeAll
    static void twoRunsStartedTogether(SparkSession spark) throws Exception {
        fullLanding = Fixtures.copy("handwritten", tmp.resolve("full"));
        // With the gold exports (off in tests' settings): theRunExportsEveryGoldTableAsCsvAndParquet reads them.
        Settings settings = SparkTest.settings().withPaths(fullLanding.toString(), tmp.resolve("wh-concurrent").toString())
                .withExports(new Settings.ExportSettings(true))
                .withPrivacy(new Settings.PrivacySettings(HASH_KEY));
        concurrentWh = new Warehouse(spark, settings.warehouse());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Nightly.Summary>> futures = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return Nightly.run(spark, settings, null);
                }));
            }
            start.countDown();
            for (Future<Nightly.Summary> f : futures) {
                try {
                    concurrentOutcomes.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    concurrentOutcomes.add(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        for (TableRef t : concurrentWh.listTables()) {
            if (t.layer() == Layer.SILVER || t.layer() == Layer.GOLD) {
                reference.put(t, Frames.sortedRows(concurrentWh.read(t)));
            }
        }
    }

    @Test
    void ofTwoRunsStartedTogetherOneWorksAndTheOtherIsTurnedAwayUntouched() {
        assertThat(concurrentOutcomes).hasSize(2);
        assertThat(concurrentOutcomes).filteredOn(o -> o instanceof Nightly.Summary).hasSize(1)
                .allSatisfy(o -> assertThat(((Nightly.Summary) o).status()).isEqualTo(Runs.SUCCEEDED));
        assertThat(concurrentOutcomes).filteredOn(o -> o instanceof RunLock.Busy).hasSize(1)
                .allSatisfy(o -> assertThat(((RunLock.Busy) o).getMessage()).contains("busy").contains("--wait"));
        assertThat(concurrentWh.read(Runs.TABLE).count()).isEqualTo(1);
        assertThat(reference).containsKeys(TableRef.silver("tickets"), TableRef.gold("resolution_time_vs_retention"));
        assertThat(RunLock.holder(concurrentWh)).as("the lock is released").isNull();
    }

    private static final String HASH_KEY = "the key of the operations test";

    @Test
    void theRunExportsEveryGoldTableAsCsvAndParquet(SparkSession spark) throws IOException {
        Nightly.Summary winner = winner();
        List<TableRef> gold = concurrentWh.listTables().stream().filter(t -> t.layer() == Layer.GOLD).toList();
        assertThat(gold).contains(WinbackWorklist.TABLE, UpsellWorklist.TABLE, TicketPriorityQueue.TABLE,
                TopCustomersByOpenTickets.TABLE, io.supportroi.analytics.pnl.SupportPnlMonthly.TABLE);
        Path folder = Path.of(concurrentWh.root(), GoldExports.EXPORTS_DIR, winner.asOf().toString());
        List<String> expected = new ArrayList<>(gold.stream().map(t -> t.name() + ".csv").toList());
        expected.add(GoldExports.PARQUET_DIR);
        assertThat(folder.toFile().list()).containsExactlyInAnyOrderElementsOf(expected);
        List<String> emails = concurrentWh.read(io.supportroi.model.Customers.TABLE)
                .select(io.supportroi.model.Customers.EMAIL).na().drop().as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList();
        assertThat(emails).isNotEmpty();
        for (TableRef t : gold) {
            // Exports show analysts the table less whatever names a customer, who is a keyed hash instead.
            Dataset<Row> table = GoldExports.forAnalysts(concurrentWh.read(t), List.of(),
                    java.util.Optional.of(HASH_KEY.getBytes(java.nio.charset.StandardCharsets.UTF_8))).rows();
            assertThat(table.columns()).as(t.qualified()).doesNotContain("email", "name", "customer_id");
            String csv = Files.readString(folder.resolve(t.name() + ".csv"));
            assertThat(emails).as(t.qualified()).noneMatch(csv::contains);
            List<String> lines = Files.readAllLines(folder.resolve(t.name() + ".csv"));
            assertThat(lines.get(0)).as(t.qualified()).isEqualTo(String.join(",", table.columns()));
            assertThat(lines).as(t.qualified()).hasSize((int) table.count() + 1);
            // The Parquet snapshot holds exactly the table's rows, with its schema.
            Dataset<Row> snapshot = spark.read().parquet(
                    folder.resolve(GoldExports.PARQUET_DIR).resolve(t.name()).toString());
            assertThat(snapshot.schema().fieldNames()).as(t.qualified()).containsExactly(table.columns());
            assertThat(snapshot.exceptAll(table).count() + table.exceptAll(snapshot).count()).as(t.qualified())
                    .isZero();
        }
        // The fixture has open tickets: the queue is not trivially empty.
        assertThat(concurrentWh.read(TicketPriorityQueue.TABLE).count()).isPositive();
    }

    @Test
    void aBackfillRunsEachDayInOrderAndEndsWithTheTablesOfAFullRun(SparkSession spark) throws IOException {
        LocalDate to = winner().asOf();
        LocalDate from = to.minusDays(1);
        Path dir = tmp.resolve("wh-backfill");
        int code = io.supportroi.cli.Main.execute("backfill", "--landing", fullLanding.toString(), "--warehouse",
                dir.toString(), "--from", from.toString(), "--to", to.toString());
        assertThat(code).isZero();
        Warehouse wh = new Warehouse(spark, dir.toString());
        assertThat(Frames.tables(wh, Layer.SILVER, Layer.GOLD)).isEqualTo(reference);
        List<Row> runs = wh.read(Runs.TABLE).orderBy(Runs.STARTED_AT).collectAsList();
        assertThat(runs).extracting(r -> r.<String>getAs(Runs.COMMAND) + " " + r.getAs(Runs.AS_OF) + " "
                        + r.<String>getAs(Runs.STATUS))
                .containsExactly("backfill " + from + " succeeded", "backfill " + to + " succeeded");
        // Every day's worklists are kept under its own date.
        for (LocalDate day : List.of(from, to)) {
            assertThat(Path.of(wh.root(), GoldExports.EXPORTS_DIR, day.toString(),
                    WinbackWorklist.TABLE.name() + ".csv")).isRegularFile();
        }

        assertThat(io.supportroi.cli.Main.execute("backfill", "--warehouse", dir.toString(), "--from", to.toString(),
                "--to", from.toString())).isEqualTo(io.supportroi.cli.Main.BAD_ARGUMENTS);
    }

    private static Nightly.Summary winner() {
        return (Nightly.Summary) concurrentOutcomes.stream()
                .filter(o -> o instanceof Nightly.Summary).findFirst().orElseThrow();
    }

    @Test
    void aRunFindingTheWarehouseHeldFailsWithoutTouchingIt(SparkSession spark) {
        Settings settings = SparkTest.settings().withPaths(fullLanding.toString(), tmp.resolve("wh-held").toString());
        Warehouse wh = new Warehouse(spark, settings.warehouse());
        try (RunLock other = RunLock.acquire(wh, "other-run", Duration.ZERO)) {
            Instant before = Instant.now();
            assertThatThrownBy(() -> Nightly.run(spark, settings, null,
                    Nightly.Options.DEFAULT.withLockWait(Duration.ofMillis(300))))
                    .isInstanceOf(RunLock.Busy.class)
                    .hasMessageContaining("other-run");
            assertThat(Duration.between(before, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(wh.listTables()).isEmpty();
            assertThat(RunLock.holder(wh).runId()).isEqualTo("other-run");
        }
        assertThat(RunLock.holder(wh)).isNull();
    }

    @Test
    void failuresBeforeSilverAndBeforePublishingLeaveGoldAsItWasAndTheNextRunRepairsEverything(SparkSession spark)
            throws Exception {
        Path landing = tmp.resolve("nights");
        Fixtures.copyNight(fullLanding, landing, true);
        Settings settings = SparkTest.settings().withPaths(landing.toString(), tmp.resolve("wh-nights").toString());
        Warehouse wh = new Warehouse(spark, settings.warehouse());
        assertThat(Nightly.run(spark, settings, null).status()).isEqualTo(Runs.SUCCEEDED);
        Map<TableRef, List<String>> goldAfterNight1 = snapshot(wh, Layer.GOLD);
        Map<TableRef, Long> goldVersions = versions(wh, Layer.GOLD);

        Fixtures.copyNight(fullLanding, landing, false);
        // Dies after ingesting night 2: bronze has the new files, silver and gold have not seen them.
        assertThatThrownBy(() -> Nightly.run(spark, settings, null, failBefore(Nightly.SILVER)))
                .hasMessageContaining("injected before silver");
        assertThat(snapshot(wh, Layer.GOLD)).isEqualTo(goldAfterNight1);
        assertThat(versions(wh, Layer.GOLD)).isEqualTo(goldVersions);
        Row failed = lastRun(wh);
        assertThat(failed.<String>getAs(Runs.STATUS)).isEqualTo(Runs.FAILED);
        assertThat(failed.<String>getAs(Runs.ERROR)).startsWith("silver: ");
        assertThat(RunLock.holder(wh)).as("a failed run releases the lock").isNull();

        // No new files now, but bronze moved since silver was built: silver is rebuilt; then every gold table is
        // computed and the run dies before publishing the first.
        assertThatThrownBy(() -> Nightly.run(spark, settings, null, failBefore(Nightly.PUBLISH)))
                .hasMessageContaining("injected before publish");
        assertThat(snapshot(wh, Layer.GOLD)).isEqualTo(goldAfterNight1);
        assertThat(versions(wh, Layer.GOLD)).isEqualTo(goldVersions);
        List<Row> stages = lastRun(wh).getList(lastRun(wh).fieldIndex(Runs.STAGES));
        assertThat(stages).extracting(s -> s.<String>getAs(Runs.S_STAGE) + " " + s.<String>getAs(Runs.S_STATUS))
                .containsExactly("ingest succeeded", "silver succeeded", "quality succeeded", "gold failed");

        // The next run finds the lock of a process that died without releasing it, takes it over, and completes.
        plantDeadLock(wh);
        Nightly.Summary repaired = Nightly.run(spark, settings, null);
        assertThat(repaired.status()).isEqualTo(Runs.SUCCEEDED);
        assertThat(repaired.filesIngested()).isZero();
        assertThat(Frames.tables(wh, Layer.SILVER, Layer.GOLD)).isEqualTo(reference);
        assertThat(wh.read(Runs.TABLE).filter(col(Runs.STATUS).equalTo(Runs.FAILED)).count()).isEqualTo(2);

        // A stricter gate than the data meets: exit code 3, verdicts recorded, gold untouched.
        Map<TableRef, Long> goldBefore = versions(wh, Layer.GOLD);
        Path strict = Files.writeString(tmp.resolve("strict-gates.conf"),
                "supportroi.quality { max-unmatched-share = 0, min-records-for-share = 1 }\n");
        int code = io.supportroi.cli.Main.execute("nightly", "--landing", landing.toString(), "--warehouse",
                wh.root(), "--conf", strict.toString());
        assertThat(code).isEqualTo(io.supportroi.cli.Main.QUALITY_GATE_FAILED);
        assertThat(versions(wh, Layer.GOLD)).isEqualTo(goldBefore);
        Row gated = lastRun(wh);
        assertThat(gated.<String>getAs(Runs.STATUS)).isEqualTo(Nightly.GATE_FAILED);
        assertThat(gated.<String>getAs(Runs.ERROR)).contains("unmatched_share silver.tickets from csv");
        assertThat(wh.read(QualityGates.TABLE)
                .filter(col(QualityGates.RUN_ID).equalTo(gated.<String>getAs(Runs.RUN_ID)))
                .filter(col(QualityGates.PASSED).equalTo(false))
                .select(QualityGates.GATE).distinct().collectAsList())
                .extracting(r -> r.getString(0)).containsExactly(QualityGates.UNMATCHED_SHARE);
        // Under the default gates every check of the earlier runs passed.
        assertThat(wh.read(QualityGates.TABLE).filter(col(QualityGates.RUN_ID).notEqual(gated.<String>getAs(Runs.RUN_ID)))
                .filter(col(QualityGates.PASSED).equalTo(false)).count()).isZero();
    }

    private static Nightly.Options failBefore(String stage) {
        return new Nightly.Options(Duration.ZERO, s -> {
            if (s.equals(stage)) {
                throw new IllegalStateException("injected before " + stage);
            }
        });
    }

    /** A lock left by a process of this host that has exited. */
    private static void plantDeadLock(Warehouse wh) throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long deadPid = p.pid();
        Path lock = Path.of(wh.root(), RunLock.FILE);
        Files.writeString(lock, new RunLock.Holder("dead-run", RunLock.thisHost(), deadPid, Instant.now()).encode());
        assertThat(RunLock.holder(wh).runId()).isEqualTo("dead-run");
    }

    private static Row lastRun(Warehouse wh) {
        return wh.read(Runs.TABLE).orderBy(col(Runs.STARTED_AT).desc()).head();
    }

    private static Map<TableRef, List<String>> snapshot(Warehouse wh, Layer layer) {
        return Frames.tables(wh, layer);
    }

    private static Map<TableRef, Long> versions(Warehouse wh, Layer layer) {
        Map<TableRef, Long> out = new HashMap<>();
        for (TableRef t : wh.listTables()) {
            if (t.layer() == layer) {
                out.put(t, wh.latestVersion(t));
            }
        }
        return out;
    }
}
