package io.supportroi.analytics;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/** Speed buckets {@code [lower, upper)} in hours from the configured bounds; the last one is open-ended. */
public final class SpeedBuckets {
    private SpeedBuckets() {}

    public static final String BUCKET = "bucket";
    public static final String BUCKET_ORDER = "bucket_order";
    public static final String LOWER_HOURS = "lower_hours";
    public static final String UPPER_HOURS = "upper_hours";

    public static final StructType SCHEMA = new StructType()
            .add(BUCKET, DataTypes.StringType, false)
            .add(BUCKET_ORDER, DataTypes.IntegerType, false)
            .add(LOWER_HOURS, DataTypes.DoubleType, false)
            .add(UPPER_HOURS, DataTypes.DoubleType, true);

    public record Bucket(String label, int order, double lower, Double upper) {}

    public static List<Bucket> of(List<Double> bounds) {
        List<Bucket> out = new ArrayList<>();
        double lower = 0.0;
        for (int i = 0; i <= bounds.size(); i++) {
            Double upper = i < bounds.size() ? bounds.get(i) : null;
            String label = i == 0 ? "<" + fmt(upper) + "h"
                    : upper == null ? ">=" + fmt(lower) + "h"
                    : fmt(lower) + "-" + fmt(upper) + "h";
            out.add(new Bucket(label, i, lower, upper));
            if (upper != null) {
                lower = upper;
            }
        }
        return out;
    }

    public static Dataset<Row> table(SparkSession spark, List<Double> bounds) {
        List<Row> rows = new ArrayList<>();
        for (Bucket b : of(bounds)) {
            rows.add(RowFactory.create(b.label(), b.order(), b.lower(), b.upper()));
        }
        return spark.createDataFrame(rows, SCHEMA);
    }

    /** The bucket order of a duration in hours; null stays null. */
    public static Column orderOf(Column hours, List<Double> bounds) {
        Column out = null;
        for (int i = 0; i < bounds.size(); i++) {
            Column cond = hours.lt(bounds.get(i));
            out = out == null ? when(cond, lit(i)) : out.when(cond, lit(i));
        }
        Column last = lit(bounds.size());
        Column bucket = out == null ? last : out.otherwise(last);
        return when(hours.isNull(), lit(null).cast("int")).otherwise(bucket);
    }

    private static String fmt(double h) {
        return h == Math.rint(h) ? Long.toString((long) h) : Double.toString(h);
    }
}
