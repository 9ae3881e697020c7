package io.supportroi.ingest;

import io.delta.tables.DeltaTable;
import io.supportroi.ops.IngestedFiles;
import io.supportroi.ops.LocalDirs;
import io.supportroi.ops.Quarantine;
import io.supportroi.ops.Warehouse;
import io.supportroi.testing.Fixtures;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run that died after appending bronze and quarantine rows but before writing the manifest: the next run takes out
 * what the dead run left, and reads the files again if they are still there.
 */
@ExtendWith(SparkTest.class)
class LeftoverRecordsTest {
    @Test
    void aFileReadAgainAfterARunDiedBeforeItsManifestReplacesItsRecords(SparkSession spark, @TempDir Path tmp)
            throws IOException {
        Path landing = ticketsOnly(tmp);
        Warehouse wh = new Warehouse(spark, tmp.resolve("wh").toString());
        Timestamp now = new Timestamp(System.currentTimeMillis());
        BronzeIngest.run(wh, landing.toString(), "run-1", now, 1 << 20);
        Map<LandingSource, Long> bronzeRows = new LinkedHashMap<>();
        for (LandingSource s : LandingSource.values()) {
            if (wh.exists(s.bronze())) {
                bronzeRows.put(s, wh.read(s.bronze()).count());
            }
        }
        long quarantined = wh.read(Quarantine.TABLE).count();
        assertThat(bronzeRows).containsOnlyKeys(LandingSource.ZENDESK_TICKETS, LandingSource.CSV_TICKETS);
        assertThat(quarantined).isPositive();

        // The dead run's manifest never landed.
        DeltaTable.forPath(spark, wh.path(IngestedFiles.TABLE)).delete(lit(true));
        BronzeIngest.run(wh, landing.toString(), "run-2", now, 1 << 20);

        bronzeRows.forEach((source, rows) -> {
            var bronze = wh.read(source.bronze());
            assertThat(bronze.count()).as(source.sourceName()).isEqualTo(rows);
            assertThat(bronze.filter(col(Bronze.RUN_ID).notEqual("run-2")).count()).as(source.sourceName()).isZero();
        });
        var quarantine = wh.read(Quarantine.TABLE);
        assertThat(quarantine.count()).isEqualTo(quarantined);
        assertThat(quarantine.filter(col(Quarantine.RUN_ID).notEqual("run-2")).count()).isZero();
    }

    /** The files a dead run read may be gone by the next run: what it left is taken out all the same. */
    @Test
    void whatADeadRunLeftOfFilesSinceRemovedIsTakenOut(SparkSession spark, @TempDir Path tmp) throws IOException {
        Path landing = ticketsOnly(tmp);
        Warehouse wh = new Warehouse(spark, tmp.resolve("wh").toString());
        Timestamp now = new Timestamp(System.currentTimeMillis());
        BronzeIngest.run(wh, landing.toString(), "run-1", now, 1 << 20);
        assertThat(wh.read(LandingSource.ZENDESK_TICKETS.bronze()).count()).isPositive();
        assertThat(wh.read(Quarantine.TABLE).count()).isPositive();

        // The dead run's manifest never landed, and its files were moved away before the next run.
        DeltaTable.forPath(spark, wh.path(IngestedFiles.TABLE)).delete(lit(true));
        LocalDirs.deleteRecursively(landing.resolve("zendesk"));
        LocalDirs.deleteRecursively(landing.resolve("csv"));
        BronzeIngest.run(wh, landing.toString(), "run-2", now, 1 << 20);

        assertThat(wh.read(LandingSource.ZENDESK_TICKETS.bronze()).count()).isZero();
        assertThat(wh.read(LandingSource.CSV_TICKETS.bronze()).count()).isZero();
        assertThat(wh.read(Quarantine.TABLE).count()).isZero();
    }

    /**
     * The hand-written landing with two sources left: Zendesk's JSON pages and a tickets CSV with a quarantined
     * record are enough, and each more source costs a run seconds.
     */
    private static Path ticketsOnly(Path tmp) throws IOException {
        Path landing = Fixtures.copy("handwritten", tmp.resolve("landing"));
        for (String other : List.of("gorgias", "shopify", "stripe", "reference", "csv/orders", "csv/billing",
                "zendesk/users", "zendesk/ticket_metrics")) {
            LocalDirs.deleteRecursively(landing.resolve(other));
        }
        return landing;
    }
}
