package io.supportroi.testing;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The digests the determinism tests compare must tell apart tables that differ, and only those. */
@ExtendWith(SparkTest.class)
class TableDigestsTest {
    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType).add("n", DataTypes.IntegerType).add("m", DataTypes.IntegerType)
            .add("x", DataTypes.DoubleType);

    private static Dataset<Row> table(SparkSession spark, Row... rows) {
        return spark.createDataFrame(List.of(rows), SCHEMA).repartition(2);
    }

    private static String difference(Dataset<Row> a, Dataset<Row> b) {
        return TableDigests.of(a).difference(TableDigests.of(b));
    }

    @Test
    void rowOrderAndLastBitsOfDoublesDoNotCount(SparkSession spark) {
        Dataset<Row> a = table(spark, RowFactory.create("a", 1, 2, 0.1 + 0.2), RowFactory.create("b", null, 3, 1.5));
        Dataset<Row> b = table(spark, RowFactory.create("b", null, 3, 1.5), RowFactory.create("a", 1, 2, 0.3));
        assertThat(difference(a, b)).isNull();
    }

    @Test
    void doublesSwappedBetweenRowsCount(SparkSession spark) {
        Dataset<Row> a = table(spark, RowFactory.create("a", 1, 2, 0.25), RowFactory.create("b", 1, 2, 0.75));
        Dataset<Row> b = table(spark, RowFactory.create("a", 1, 2, 0.75), RowFactory.create("b", 1, 2, 0.25));
        assertThat(difference(a, b)).contains("x differs");
    }

    @Test
    void aNullMovedToAnotherColumnCounts(SparkSession spark) {
        Dataset<Row> a = table(spark, RowFactory.create("a", null, 5, 1.0), RowFactory.create("b", 5, null, 1.0));
        Dataset<Row> b = table(spark, RowFactory.create("a", 5, null, 1.0), RowFactory.create("b", null, 5, 1.0));
        assertThat(difference(a, b)).contains("exact columns differ");
    }

    @Test
    void aSumOfMixedSignsNearZeroIsComparedAtTheScaleOfItsTerms(SparkSession spark) {
        // 1e6 + 0.1 - 1e6 is not 0.1 in doubles: the rounding of the large terms stays in the result.
        Dataset<Row> a = table(spark, RowFactory.create("a", 1, 2, 1e6), RowFactory.create("b", 1, 2, 0.1),
                RowFactory.create("c", 1, 2, -1e6));
        Dataset<Row> b = table(spark, RowFactory.create("a", 1, 2, 1e6), RowFactory.create("b", 1, 2, 0.1 + 1e-10),
                RowFactory.create("c", 1, 2, -1e6));
        assertThat(difference(a, b)).isNull();
    }

    @Test
    void aDoubleBeyondTheToleranceCounts(SparkSession spark) {
        Dataset<Row> a = table(spark, RowFactory.create("a", 1, 2, 1.0));
        Dataset<Row> b = table(spark, RowFactory.create("a", 1, 2, 1.0 + 1e-9));
        assertThat(difference(a, b)).contains("x differs");
    }
}
