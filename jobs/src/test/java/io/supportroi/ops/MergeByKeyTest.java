package io.supportroi.ops;

import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.LogicalRDD;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(SparkTest.class)
class MergeByKeyTest {
    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType)
            .add("line", DataTypes.IntegerType)
            .add("amount", DataTypes.LongType);
    private static final List<String> KEYS = List.of("id", "line");
    private static final TableRef TABLE = TableRef.silver("merge_test");

    private static Dataset<Row> rows(SparkSession spark, Object[]... rows) {
        return spark.createDataFrame(Arrays.stream(rows).map(RowFactory::create).toList(), SCHEMA);
    }

    @Test
    void theTableEndsEqualToTheSourceAndOnlyChangedRowsCount(SparkSession spark, @TempDir Path tmp) {
        Warehouse wh = new Warehouse(spark, tmp.toString());
        assertThat(wh.mergeByKey(TABLE, rows(spark, new Object[]{"a", 1, 10L}, new Object[]{"a", 2, 20L},
                new Object[]{"b", 1, null}, new Object[]{"c", 1, 30L}), KEYS, "run-1")).isEqualTo(4);
        long version = wh.latestVersion(TABLE);

        // a/1 unchanged, a/2 updated, b/1 null to a value, c/1 gone, d/1 new
        Dataset<Row> next = rows(spark, new Object[]{"a", 1, 10L}, new Object[]{"a", 2, 21L},
                new Object[]{"b", 1, 5L}, new Object[]{"d", 1, 40L});
        assertThat(wh.mergeByKey(TABLE, next, KEYS, "run-2")).isEqualTo(4);
        assertThat(Frames.sortedRows(wh.read(TABLE))).isEqualTo(Frames.sortedRows(next));
        assertThat(wh.latestVersion(TABLE)).isEqualTo(version + 1);

        // The same source again: nothing changes, nothing is committed.
        assertThat(wh.mergeByKey(TABLE, next, KEYS, "run-3")).isZero();
        assertThat(wh.latestVersion(TABLE)).isEqualTo(version + 1);
    }

    @Test
    void rowsWithANullKeyAreReplacedToo(SparkSession spark, @TempDir Path tmp) {
        Warehouse wh = new Warehouse(spark, tmp.toString());
        wh.mergeByKey(TABLE, rows(spark, new Object[]{"a", 1, 10L}, new Object[]{null, 1, 20L}), KEYS, "run-1");

        Dataset<Row> next = rows(spark, new Object[]{"a", 1, 11L}, new Object[]{null, 2, 30L});
        assertThat(wh.mergeByKey(TABLE, next, KEYS, "run-2")).isEqualTo(3);
        assertThat(Frames.sortedRows(wh.read(TABLE))).isEqualTo(Frames.sortedRows(next));
    }

    @Test
    void aNewTablesRowsAreCountedFromItsCommitOrWithoutCommitMetricsFromTheSource(SparkSession spark,
                                                                               @TempDir Path tmp) {
        Warehouse wh = new Warehouse(spark, tmp.resolve("with-metrics").toString());
        Dataset<Row> three = rows(spark, new Object[]{"a", 1, 1L}, new Object[]{"a", 2, 2L}, new Object[]{"b", 1, 3L});
        assertThat(wh.mergeByKey(TABLE, three, KEYS, "run-1")).isEqualTo(3);
        assertThat(wh.rowsCreated(TABLE)).isEqualTo(3);

        String metrics = "spark.databricks.delta.history.metricsEnabled";
        String before = spark.conf().get(metrics, null);
        spark.conf().set(metrics, "false");
        try {
            Warehouse without = new Warehouse(spark, tmp.resolve("without-metrics").toString());
            assertThat(without.mergeByKey(TABLE, three, KEYS, "run-1")).isEqualTo(3);
            assertThat(without.rowsCreated(TABLE)).isEqualTo(-1);
        } finally {
            if (before == null) {
                spark.conf().unset(metrics);
            } else {
                spark.conf().set(metrics, before);
            }
        }
    }

    /** What silver holds on small data: a copy the table's write fills, still there once its inputs are released. */
    @Test
    void aDetachedCopyIsFilledByTheWriteAndOutlivesItsInputs(SparkSession spark, @TempDir Path tmp) {
        Warehouse wh = new Warehouse(spark, tmp.toString());
        Dataset<Row> input = rows(spark, new Object[]{"a", 1, 1L}, new Object[]{"b", 1, 2L})
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> copy = CachedReads.detached(input);
        RDD<?> copied = ((LogicalRDD) copy.queryExecution().analyzed()).rdd();
        assertThat(copied.isCheckpointed()).isFalse();

        assertThat(wh.mergeByKey(TABLE, copy, KEYS, "run-1")).isEqualTo(2);
        assertThat(copied.isCheckpointed()).as("filled by the write").isTrue();
        List<String> expected = Frames.sortedRows(input);
        input.unpersist(true);
        assertThat(Frames.sortedRows(copy)).isEqualTo(expected);
    }
}
