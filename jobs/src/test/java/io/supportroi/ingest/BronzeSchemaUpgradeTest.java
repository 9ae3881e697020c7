package io.supportroi.ingest;

import io.supportroi.ops.IngestedFiles;
import io.supportroi.ops.Warehouse;
import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;

import static io.supportroi.testing.Frames.row;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bronze table written before its source's schema learned a field: the next ingest re-parses the stored records
 * from _raw once (old records get the field), and new files append to it.
 */
@ExtendWith(SparkTest.class)
class BronzeSchemaUpgradeTest {

    @Test
    void oldRecordsGainNewFieldsFromRawAndNewFilesAppend(SparkSession spark, @TempDir Path tmp) throws Exception {
        Warehouse wh = new Warehouse(spark, tmp.resolve("wh").toString());
        // bronze.reference_products as an older release wrote it: no unit_cost column yet
        Dataset<Row> old = Frames.of(spark, "sku STRING, _raw STRING, _source_file STRING, _file_hash STRING, "
                        + "_line BIGINT, _record_index BIGINT, _ingested_at TIMESTAMP, _run_id STRING",
                row("BOX", "{\"sku\":\"BOX\",\"unit_cost\":\"17.50\"}", "old/reference/products.csv", "h0", 2L, 0L,
                        Timestamp.valueOf("2025-01-01 00:00:00"), "run-0"));
        wh.append(LandingSource.REFERENCE_PRODUCTS.bronze(), old, "run-0");
        // ... and its ledger row, which says the record is no dead run's leftover.
        wh.append(IngestedFiles.TABLE, spark.createDataFrame(List.of(RowFactory.create("old/reference/products.csv",
                40L, Timestamp.valueOf("2025-01-01 00:00:00"), "h0", LandingSource.REFERENCE_PRODUCTS.sourceName(),
                "run-0", Timestamp.valueOf("2025-01-01 00:00:00"), 1L, 1L, 0L, null)), IngestedFiles.SCHEMA), "run-0");
        assertThat(BronzeIngest.covers(wh.read(LandingSource.REFERENCE_PRODUCTS.bronze()).schema(),
                LandingSource.REFERENCE_PRODUCTS.bronzeSchema())).isFalse();

        Path landing = tmp.resolve("landing");
        Files.createDirectories(landing.resolve("reference"));
        Files.writeString(landing.resolve("reference/products.csv"), "sku,unit_cost\nMUG,3.00\n");
        BronzeIngest.run(wh, landing.toString(), "run-1", new Timestamp(System.currentTimeMillis()), 1 << 20);

        Dataset<Row> bronze = wh.read(LandingSource.REFERENCE_PRODUCTS.bronze());
        assertThat(Frames.sortedRows(bronze.select("sku", "unit_cost", "_run_id")))
                .containsExactly("[BOX,17.50,run-0]", "[MUG,3.00,run-1]");
        long version = wh.latestVersion(LandingSource.REFERENCE_PRODUCTS.bronze());
        assertThat(BronzeIngest.upgradeSchema(wh, LandingSource.REFERENCE_PRODUCTS, "run-2")).isFalse();
        assertThat(wh.latestVersion(LandingSource.REFERENCE_PRODUCTS.bronze())).isEqualTo(version);
    }

    @Test
    void coversLooksIntoStructsAndArrays() {
        StructType have = StructType.fromDDL("a STRUCT<b: INT, c: ARRAY<STRUCT<d: STRING, e: STRING>>>, z INT");
        assertThat(BronzeIngest.covers(have, StructType.fromDDL("a STRUCT<c: ARRAY<STRUCT<e: STRING>>>"))).isTrue();
        assertThat(BronzeIngest.covers(have, StructType.fromDDL("a STRUCT<c: ARRAY<STRUCT<f: STRING>>>"))).isFalse();
        assertThat(BronzeIngest.covers(have, StructType.fromDDL("a STRUCT<b: STRING>"))).isFalse();
    }
}
