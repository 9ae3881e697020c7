package io.supportroi.ops;

import io.supportroi.config.Settings;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/** The settings for small data chosen from what a stage reads: silver alone for the gates and gold. */
@ExtendWith(SparkTest.class)
class SparkSessionsTest {
    private static final int MB = 1024 * 1024;

    /** The one-partition rule off: these tests switch the shared session, which must stay at two partitions. */
    private static Settings withLimits(Path landing, Path warehouse, long smallDataMb, long smallSilverMb) {
        Settings d = SparkTest.settings().withPaths(landing.toString(), warehouse.toString());
        return d.withSpark(new Settings.SparkSettings("local[2]", 8, "ERROR", Map.of(), smallDataMb, smallSilverMb,
                0));
    }

    @Test
    void silverUnderItsLimitGetsTheSmallSettingsEvenWhenTheRunIsTooLarge(SparkSession spark, @TempDir Path dir)
            throws Exception {
        Path landing = Files.createDirectories(dir.resolve("landing"));
        Path warehouse = dir.resolve("warehouse");
        Files.write(landing.resolve("big.json"), new byte[3 * MB]);
        Files.write(Files.createDirectories(warehouse.resolve("bronze")).resolve("part.parquet"), new byte[2 * MB]);
        Files.write(Files.createDirectories(warehouse.resolve("silver")).resolve("part.parquet"), new byte[MB / 2]);
        Settings s = withLimits(landing, warehouse, 4, 1);

        assertThat(SparkSessions.sizeMb(spark.sparkContext().hadoopConfiguration(), 4, s.landing(), s.warehouse()))
                .as("landing and warehouse: 5.5 MB, over the run's limit").isEqualTo(-1);
        assertThat(SparkSessions.fitToData(spark, s)).isFalse();
        assertThat(SparkSessions.fitToSilver(spark, s)).as("0.5 MB of silver under 1 MB").isTrue();
    }

    @Test
    void dataUnderTheOnePartitionLimitRunsInOnePartition() {
        Settings.SparkSettings limits = new Settings.SparkSettings("local[2]", 8, "ERROR", Map.of(), 4, 1, 3);
        assertThat(SparkSessions.shufflePartitions(limits, true, 2)).as("2 MB under 3 MB").isEqualTo(1);
        assertThat(SparkSessions.shufflePartitions(limits, true, 3)).as("3 MB, not under 3 MB").isEqualTo(2);
        assertThat(SparkSessions.shufflePartitions(limits, false, 2)).as("not small data").isEqualTo(8);
        Settings.SparkSettings off = new Settings.SparkSettings("local[2]", 8, "ERROR", Map.of(), 4, 1, 0);
        assertThat(SparkSessions.shufflePartitions(off, true, 0)).as("0 is off").isEqualTo(2);
    }

    @Test
    void onSmallDataATableIsWrittenAndKeptInTheSessionsShufflePartitions(SparkSession shared, @TempDir Path dir) {
        // A session of its own: the shared one keeps the tests' two partitions.
        SparkSession spark = shared.newSession();
        SparkSessions.forSmallData().forEach(spark.conf()::set);
        spark.conf().set("spark.sql.shuffle.partitions", "1");
        Warehouse wh = new Warehouse(spark, dir.toString());
        TableRef table = new TableRef(Layer.SILVER, "three_partitions");

        wh.append(table, spark.range(0, 30, 1, 3).toDF(), "run-1");

        assertThat(wh.read(table).inputFiles()).hasSize(1);
        assertThat(wh.read(table).count()).isEqualTo(30);
        assertThat(CachedReads.detached(spark.range(0, 30, 1, 3).toDF()).rdd().getNumPartitions()).isEqualTo(1);
        assertThat(CachedReads.detached(shared.range(0, 30, 1, 3).toDF()).rdd().getNumPartitions())
                .as("the shared session's two").isEqualTo(2);
        Dataset<Row> hashed = shared.range(0, 30, 1, 3).toDF().repartition(2, col("id"));
        assertThat(SparkSessions.inSmallDataPartitions(hashed)).as("already in two: its partitioning kept")
                .isSameAs(hashed);
    }

    @Test
    void silverOverItsLimitOrTheLimitOffKeepsTheRunsSettings(SparkSession spark, @TempDir Path dir) throws Exception {
        Path warehouse = dir.resolve("warehouse");
        Files.write(Files.createDirectories(warehouse.resolve("silver")).resolve("part.parquet"), new byte[2 * MB]);

        assertThat(SparkSessions.fitToSilver(spark, withLimits(dir, warehouse, 4, 1))).as("2 MB over 1 MB").isFalse();
        assertThat(SparkSessions.fitToSilver(spark, withLimits(dir, warehouse, 4, 0))).as("0 is off").isFalse();
        assertThat(SparkSessions.sizeMb(spark.sparkContext().hadoopConfiguration(), 3, warehouse.toString()))
                .isEqualTo(2);
    }
}
