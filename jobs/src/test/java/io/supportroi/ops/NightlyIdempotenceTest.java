package io.supportroi.ops;

import io.supportroi.analytics.ResolutionTimeVsRetention;
import io.supportroi.config.Settings;
import io.supportroi.testing.Fixtures;
import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The same night twice: the second run ingests nothing and leaves every table as it was, commit for commit. */
@ExtendWith(SparkTest.class)
class NightlyIdempotenceTest {
    @TempDir
    static Path tmp;

    private static Warehouse wh;
    private static Nightly.Summary first;
    private static Nightly.Summary second;
    private static final Map<TableRef, List<String>> rowsAfterFirst = new HashMap<>();
    private static final Map<TableRef, Long> versionsAfterFirst = new HashMap<>();

    @BeforeAll
    static void runTwice(SparkSession spark) {
        Path landing = Fixtures.copy("handwritten", tmp.resolve("landing"));
        Settings settings = SparkTest.settings().withPaths(landing.toString(), tmp.resolve("wh").toString());
        wh = new Warehouse(spark, settings.warehouse());
        first = Nightly.run(spark, settings, null);
        for (TableRef t : wh.listTables()) {
            rowsAfterFirst.put(t, Frames.sortedRows(wh.read(t)));
            versionsAfterFirst.put(t, wh.latestVersion(t));
        }
        second = Nightly.run(spark, settings, null);
    }

    @Test
    void theFirstRunSucceedsAndCountsEveryRecord() {
        assertThat(first.status()).isEqualTo(Runs.SUCCEEDED);
        assertThat(first.filesIngested()).isEqualTo(21);
        assertThat(first.quarantined()).isEqualTo(9);
        // as-of defaults to the latest event in the data: sub_A's end on 2025-04-18
        assertThat(first.asOf()).hasToString("2025-04-18");
        assertThat(wh.exists(ResolutionTimeVsRetention.TABLE)).isTrue();
    }

    @Test
    void theSecondRunIngestsNothingAndCommitsNothing() {
        assertThat(second.status()).isEqualTo(Runs.SUCCEEDED);
        assertThat(second.filesIngested()).isZero();
        for (TableRef t : rowsAfterFirst.keySet()) {
            if (t.equals(Runs.TABLE)) {
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
        assertThat(r.<String>getAs(Runs.RUN_ID)).isEqualTo(first.runId());
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
}
