package io.supportroi.analytics.worklists;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A 1-based rank over a whole table. A window without partitions would do it by moving every row into one
 * partition (and Spark warns about that on each run); a distributed sort numbered with {@code zipWithIndex} does not.
 */
final class Ranking {
    private Ranking() {}

    /**
     * @param order must be a total order (end with a unique key), so a re-run ranks the same way
     * @return {@code rankColumn} (int, first) followed by the frame's columns
     */
    static Dataset<Row> withRank(Dataset<Row> df, String rankColumn, Column... order) {
        StructType schema = df.schema();
        StructField[] fields = new StructField[schema.fields().length + 1];
        fields[0] = DataTypes.createStructField(rankColumn, DataTypes.IntegerType, false);
        System.arraycopy(schema.fields(), 0, fields, 1, schema.fields().length);
        JavaRDD<Row> ranked = df.orderBy(order).javaRDD().zipWithIndex().map(t -> {
            Row r = t._1();
            Object[] values = new Object[r.size() + 1];
            values[0] = Math.toIntExact(t._2() + 1);
            for (int i = 0; i < r.size(); i++) {
                values[i + 1] = r.get(i);
            }
            return RowFactory.create(values);
        });
        return df.sparkSession().createDataFrame(ranked, new StructType(fields));
    }
}
