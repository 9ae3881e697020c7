package io.supportroi.testing;

import io.supportroi.ops.Layer;
import io.supportroi.ops.Warehouse;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Order-independent digests of whole tables, for "the same files give the same tables". A table's digest is its row
 * count, the sum of a hash of each row's exact columns (every column but doubles, each with whether it is null, as
 * xxhash64 skips nulls: a multiset hash, so row order and partitioning do not matter) and, per exact column, the sum
 * of its values' hashes. Doubles may legitimately differ in their last bits when a sum is taken in another order, so
 * they cannot be hashed; each double column is digested as count, NaN count, sum, sum of squares, min, max and a sum
 * weighted by a number in [0, 1) drawn from its row's exact hash, which ties each value to its row (two rows swapping
 * their doubles change it), and the sum of absolute values, all compared within 1e-12 (relative to the magnitude, at
 * least 1; for the two sums, to the sum of absolute values).
 */
public final class TableDigests {
    private TableDigests() {}

    public static final double TOLERANCE = 1e-12;

    /** Where each part of a double column's digest is. */
    private static final int SUM = 2;
    private static final int WEIGHTED_SUM = 6;
    private static final int SUM_ABS = 7;
    private static final int PARTS = 8;

    /** How many distinct row weights: enough that two rows rarely share one, few enough to stay exact in a double. */
    private static final long WEIGHTS = 1L << 20;

    /** One table's digest: exact parts as text, floating-point parts as numbers. */
    public record Digest(List<String> exact, Map<String, double[]> doubles) {
        /** What differs from {@code other}, or null when the two are equal (doubles within the tolerance). */
        public String difference(Digest other) {
            if (!exact.equals(other.exact)) {
                return "exact columns differ: " + exact + " vs " + other.exact;
            }
            if (!doubles.keySet().equals(other.doubles.keySet())) {
                return "double columns differ: " + doubles.keySet() + " vs " + other.doubles.keySet();
            }
            for (Map.Entry<String, double[]> e : doubles.entrySet()) {
                double[] a = e.getValue();
                double[] b = other.doubles.get(e.getKey());
                // A sum of mixed signs may come out near zero with the rounding of its large terms: its tolerance
                // scales with the sum of the absolute values, not with the result.
                double terms = Math.max(a[SUM_ABS], b[SUM_ABS]);
                for (int i = 0; i < a.length; i++) {
                    double scale = i == SUM || i == WEIGHTED_SUM ? terms : 0.0;
                    if (!close(a[i], b[i], scale)) {
                        return e.getKey() + " differs: " + Arrays.toString(a) + " vs " + Arrays.toString(b);
                    }
                }
            }
            return null;
        }

        private static boolean close(double a, double b, double scale) {
            if (Double.isNaN(a) || Double.isNaN(b)) {
                return Double.isNaN(a) && Double.isNaN(b);
            }
            double magnitude = Math.max(1.0, Math.max(scale, Math.max(Math.abs(a), Math.abs(b))));
            return a == b || Math.abs(a - b) <= TOLERANCE * magnitude;
        }
    }

    /** Every table of the given layers of a warehouse, by qualified name. */
    public static Map<String, Digest> of(Warehouse wh, Layer... layers) {
        Map<String, Digest> out = new TreeMap<>();
        Frames.readAll(Frames.tablesOf(wh, layers), t -> of(wh.read(t))).forEach((t, d) -> out.put(t.qualified(), d));
        return out;
    }

    /** Names of the tables whose digests differ between {@code a} and {@code b}, each with what differs. */
    public static List<String> differences(Map<String, Digest> a, Map<String, Digest> b) {
        List<String> out = new ArrayList<>();
        if (!a.keySet().equals(b.keySet())) {
            out.add("tables differ: " + a.keySet() + " vs " + b.keySet());
        }
        for (Map.Entry<String, Digest> e : a.entrySet()) {
            Digest other = b.get(e.getKey());
            String d = other == null ? null : e.getValue().difference(other);
            if (d != null) {
                out.add(e.getKey() + ": " + d);
            }
        }
        return out;
    }

    public static Digest of(Dataset<Row> table) {
        List<Column> exactCols = new ArrayList<>();
        List<String> doubleCols = new ArrayList<>();
        for (StructField f : table.schema().fields()) {
            if (isFloating(f.dataType())) {
                doubleCols.add(f.name());
            } else {
                exactCols.add(col(f.name()));
            }
        }
        List<Column> rowParts = new ArrayList<>();
        for (Column c : exactCols) {
            rowParts.add(c);
            rowParts.add(c.isNull());
        }
        Column rowHash = rowParts.isEmpty() ? lit(0L) : xxhash64(rowParts.toArray(Column[]::new));
        Column rowWeight = pmod(rowHash, lit(WEIGHTS)).cast("double").divide(WEIGHTS);
        List<Column> aggs = new ArrayList<>();
        aggs.add(count(lit(1)).cast("string"));
        // decimal(38,0) sums of 64-bit hashes: exact, no overflow for any table a test builds.
        aggs.add(hashSum(rowHash));
        for (Column c : exactCols) {
            aggs.add(hashSum(xxhash64(c)));
        }
        for (String d : doubleCols) {
            Column v = col(d).cast("double");
            Column finite = when(isnan(v), lit(null)).otherwise(v);
            aggs.add(count(v).cast("double"));
            aggs.add(coalesce(sum(when(isnan(v), 1.0).otherwise(0.0)), lit(0.0)));
            aggs.add(coalesce(sum(finite), lit(0.0)));
            aggs.add(coalesce(sum(finite.multiply(finite)), lit(0.0)));
            aggs.add(coalesce(min(finite), lit(0.0)));
            aggs.add(coalesce(max(finite), lit(0.0)));
            aggs.add(coalesce(sum(finite.multiply(rowWeight)), lit(0.0)));
            aggs.add(coalesce(sum(abs(finite)), lit(0.0)));
        }
        Row r = table.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).head();
        List<String> exact = new ArrayList<>();
        int i = 0;
        exact.add("rows=" + r.get(i++));
        exact.add("row hash=" + r.get(i++));
        for (Column c : exactCols) {
            exact.add(c + "=" + r.get(i++));
        }
        Map<String, double[]> doubles = new TreeMap<>();
        for (String d : doubleCols) {
            double[] parts = new double[PARTS];
            for (int k = 0; k < parts.length; k++) {
                parts[k] = r.getDouble(i++);
            }
            doubles.put(d, parts);
        }
        return new Digest(exact, doubles);
    }

    private static Column hashSum(Column hash) {
        return coalesce(sum(hash.cast("decimal(38,0)")), lit(0).cast("decimal(38,0)")).cast("string");
    }

    private static boolean isFloating(DataType t) {
        return t.equals(DataTypes.DoubleType) || t.equals(DataTypes.FloatType);
    }
}
