package io.supportroi.testing;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Tiny in-memory tables for tests, declared with a DDL schema string. */
public final class Frames {
    private Frames() {}

    public static Dataset<Row> of(SparkSession spark, String ddl, Object[]... rows) {
        List<Row> list = new ArrayList<>();
        for (Object[] r : rows) {
            list.add(RowFactory.create(r));
        }
        return spark.createDataFrame(list, StructType.fromDDL(ddl));
    }

    public static Object[] row(Object... values) {
        return values;
    }

    /** UTC timestamp from ISO text, e.g. "2025-01-10T00:00:00Z". */
    public static Timestamp ts(String iso) {
        return Timestamp.from(Instant.parse(iso));
    }

    public static BigDecimal money(String v) {
        return new BigDecimal(v).setScale(2);
    }

    /** Rows as sorted strings, for order-insensitive comparison of two tables. */
    public static List<String> sortedRows(Dataset<Row> df) {
        List<String> out = new ArrayList<>(df.collectAsList().stream().map(Row::toString).toList());
        out.sort(String::compareTo);
        return out;
    }

    /** Every table of the given layers, as {@link #sortedRows}, in name order: two warehouses compare with equals. */
    public static java.util.Map<io.supportroi.ops.TableRef, List<String>> tables(io.supportroi.ops.Warehouse wh,
                                                                                 io.supportroi.ops.Layer... layers) {
        java.util.Map<io.supportroi.ops.TableRef, List<String>> out =
                new java.util.TreeMap<>(java.util.Comparator.comparing(io.supportroi.ops.TableRef::qualified));
        List<io.supportroi.ops.Layer> wanted = Arrays.asList(layers);
        for (io.supportroi.ops.TableRef t : wh.listTables()) {
            if (wanted.contains(t.layer())) {
                out.put(t, sortedRows(wh.read(t)));
            }
        }
        return out;
    }

    public static List<String> columns(Dataset<Row> df) {
        return Arrays.asList(df.columns());
    }
}
