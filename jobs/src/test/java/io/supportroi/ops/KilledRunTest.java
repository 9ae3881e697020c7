package io.supportroi.ops;

import io.supportroi.analytics.ResolutionTimeVsRetention;
import io.supportroi.config.Settings;
import io.supportroi.ingest.Bronze;
import io.supportroi.ingest.LandingSource;
import io.supportroi.model.Tickets;
import io.supportroi.testing.ChildJvm;
import io.supportroi.testing.Fixtures;
import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The process killed for real (SIGKILL of a child JVM running {@code supportroi nightly}) in the middle of ingest,
 * of silver's MERGEs and of gold's publication, on the second of two nights. The kills come one after another on the
 * same night, as they would when a flaky machine fails several nights' retries: each run after a kill first has to
 * repair what the kill left (the next kill comes later in the run, once that repair is done and checked), and a last,
 * normal run must then leave every silver and gold table exactly as an undisturbed run does, with bronze and the
 * quarantine holding every record once. Until then, the previous night's gold stays as it was.
 *
 * <p>Six nightly runs, three of them in cold child JVMs: a chain, rather than three separate kill-and-repair pairs,
 * to keep the suite inside CI's budget while every kill is still followed by a run that is checked to repair it.
 */
@ExtendWith(SparkTest.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KilledRunTest {
    @TempDir
    static Path tmp;

    private static Path landing;
    private static Path warehouse;
    private static Warehouse wh;
    private static Map<TableRef, List<String>> reference;
    /**
     * The undisturbed run's bronze and quarantine, by {@link #records(Warehouse, TableRef)}: read once, compared
     * after two runs.
     */
    private static Map<TableRef, List<String>> referenceRecords;
    private static Map<TableRef, List<String>> goldAfterNightOne;

    @BeforeAll
    static void undisturbedRunAndNightOne(SparkSession spark) throws java.io.IOException {
        Path full = Fixtures.copy("handwritten", tmp.resolve("full"));
        Warehouse undisturbed = new Warehouse(spark, tmp.resolve("wh-undisturbed").toString());
        Nightly.Summary s = Nightly.run(spark, settings(full, undisturbed.root()), null);
        assertThat(s.status()).isEqualTo(Runs.SUCCEEDED);
        reference = Frames.tables(undisturbed, Layer.SILVER, Layer.GOLD);
        referenceRecords = records(undisturbed, true);

        landing = tmp.resolve("nights").resolve("landing");
        warehouse = tmp.resolve("nights").resolve("wh");
        wh = new Warehouse(spark, warehouse.toString());
        Fixtures.copyNight(full, landing, true);
        assertThat(Nightly.run(spark, settings(landing, warehouse.toString()), null).status())
                .isEqualTo(Runs.SUCCEEDED);
        goldAfterNightOne = Frames.tables(wh, Layer.GOLD);
        Fixtures.copyNight(full, landing, false);
    }

    @Test
    @Order(1)
    void killedDuringIngestTheRunLeavesLastNightsOutput() throws Exception {
        String output = killAt(FaultPoints.ingestAppended(LandingSource.ZENDESK_TICKETS.sourceName()));
        assertThat(RunLock.holder(wh)).as("a killed run leaves its lock behind\n%s", output).isNotNull();
        Frames.assertSameTables(Frames.tables(wh, Layer.GOLD), goldAfterNightOne);
    }

    @Test
    @Order(2)
    void theNextRunRepairsIngestThenIsKilledDuringSilversMerges() throws Exception {
        // Stopped once silver.tickets is merged: ingest is over, so bronze is as it will stay.
        killAt(FaultPoints.silverMerged(Tickets.TABLE));
        Map<TableRef, List<String>> referenceBronze = new HashMap<>(referenceRecords);
        referenceBronze.remove(Quarantine.TABLE);
        Frames.assertSameTables(records(wh, false), referenceBronze);
        Frames.assertSameTables(Frames.tables(wh, Layer.GOLD), goldAfterNightOne);
    }

    @Test
    @Order(3)
    void theNextRunRepairsSilverThenIsKilledDuringGoldsPublication() throws Exception {
        // Stopped once the first gold table is replaced: silver is complete.
        killAt(FaultPoints.goldPublished(ResolutionTimeVsRetention.TABLE));
        Map<TableRef, List<String>> silver = new HashMap<>(reference);
        silver.keySet().removeIf(t -> t.layer() != Layer.SILVER);
        Frames.assertSameTables(Frames.tables(wh, Layer.SILVER), silver);
    }

    @Test
    @Order(4)
    void aNormalRunThenLeavesEveryTableAsAnUndisturbedRunDoes(SparkSession spark) {
        Nightly.Summary repaired = Nightly.run(spark, settings(landing, warehouse.toString()), null);
        assertThat(repaired.status()).isEqualTo(Runs.SUCCEEDED);
        Frames.assertSameTables(Frames.tables(wh, Layer.SILVER, Layer.GOLD), reference);
        Frames.assertSameTables(records(wh, true), referenceRecords);
        assertThat(wh.read(Runs.TABLE).filter(col(Runs.STATUS).equalTo(Runs.SUCCEEDED)).count()).isEqualTo(2);
    }

    /**
     * Runs night 2 in a child JVM told to stop at {@code point}; once it says it is there, kills it with SIGKILL.
     * Returns what it printed.
     */
    private static String killAt(String point) throws Exception {
        // This JVM's own classpath (the built classes and every dependency, Spark included): the child runs the
        // command as this build made it, without waiting for the shaded jar of the package phase.
        String classpath = System.getProperty("java.class.path");
        // The settings a run picks for itself on this fixture (small data, one partition, where the in-process runs
        // keep the tests' two: the tables compared must not depend on it), gold exports off as theirs are.
        Path conf = Files.writeString(landing.resolveSibling("test.conf"), "supportroi.exports.gold = false\n");
        Process child = ChildJvm.startPiped(classpath, "io.supportroi.cli.Main", List.of("nightly", "--landing",
                landing.toString(), "--warehouse", warehouse.toString(), "--conf", conf.toString()),
                landing.getParent(), Map.of(FaultPoints.ENV, point, "SPARK_LOCAL_IP", "127.0.0.1"));
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // The stream closes when the child is killed.
            }
            lines.add("<end of output>");
        });
        reader.setDaemon(true);
        reader.start();
        List<String> seen = new ArrayList<>();
        try {
            while (true) {
                String line = lines.poll(5, TimeUnit.MINUTES);
                assertThat(line).as("the child fell silent before %s:%n%s", point, String.join("\n", seen))
                        .isNotNull();
                seen.add(line);
                assertThat(line).as("the child ended before %s:%n%s", point, String.join("\n", seen))
                        .isNotEqualTo("<end of output>");
                if (line.equals(FaultPoints.MARKER + point)) {
                    break;
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();
        }
        // 128 + 9: killed by SIGKILL, not ended by an exception or an exit.
        assertThat(child.exitValue()).as(String.join("\n", seen)).isEqualTo(137);
        // Another JVM wrote to these tables: drop this one's cached view of their logs before reading them.
        org.apache.spark.sql.delta.DeltaLog.clearCache();
        return String.join("\n", seen);
    }

    /** Every bronze table's records, and the quarantine's if asked, by {@link #records(Warehouse, TableRef)}. */
    private static Map<TableRef, List<String>> records(Warehouse wh, boolean quarantineToo) {
        List<TableRef> tables = new ArrayList<>(Frames.tablesOf(wh, Layer.BRONZE));
        if (quarantineToo) {
            tables.add(Quarantine.TABLE);
        }
        return Frames.readAll(tables, t -> records(wh, t));
    }

    /** A table's records by where they came from (file, line, index within the line), with how often each is there. */
    private static List<String> records(Warehouse wh, TableRef table) {
        String[] key = table.equals(Quarantine.TABLE)
                ? new String[] {Quarantine.FILE, Quarantine.LINE, Quarantine.RECORD_INDEX, Quarantine.REASON}
                : new String[] {Bronze.SOURCE_FILE, Bronze.LINE, Bronze.RECORD_INDEX};
        // Paths differ between warehouses' landings: compare the file names below the landing folder.
        return Frames.sortedRows(wh.read(table)
                .withColumn(key[0], regexp_extract(col(key[0]), "(?:landing|full)/(.*)$", 1))
                .groupBy(Stream.of(key).map(c -> col(c)).toArray(org.apache.spark.sql.Column[]::new)).count());
    }

    private static Settings settings(Path landing, String warehouse) {
        return SparkTest.settings().withPaths(landing.toString(), warehouse);
    }
}
