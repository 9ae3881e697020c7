package io.supportroi.testing;

import io.supportroi.ops.Layer;
import io.supportroi.ops.Parallel;
import io.supportroi.ops.TableRef;
import io.supportroi.ops.Warehouse;
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
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

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

    /**
     * Every table of the given layers, as {@link #sortedRows}, in name order: two warehouses compare with
     * {@link #assertSameTables}. Read a few at a time, as the pipeline's stages work: each read of a small table is
     * mostly latency (the Delta log's snapshot, planning, a job or two).
     */
    public static Map<TableRef, List<String>> tables(Warehouse wh, Layer... layers) {
        return readAll(tablesOf(wh, layers), t -> sortedRows(wh.read(t)));
    }

    /** The warehouse's tables of the given layers. */
    public static List<TableRef> tablesOf(Warehouse wh, Layer... layers) {
        List<Layer> wanted = Arrays.asList(layers);
        return wh.listTables().stream().filter(t -> wanted.contains(t.layer())).toList();
    }

    /** {@code read} of every table, {@link Parallel#TABLES_AT_ONCE} at a time, in name order. */
    public static <T> Map<TableRef, T> readAll(List<TableRef> refs, Function<TableRef, T> read) {
        List<Callable<T>> reads = refs.stream().<Callable<T>>map(t -> () -> read.apply(t)).toList();
        List<T> results = Parallel.run(Parallel.TABLES_AT_ONCE, reads, "reading tables");
        Map<TableRef, T> out = new TreeMap<>(Comparator.comparing(TableRef::qualified));
        for (int i = 0; i < refs.size(); i++) {
            out.put(refs.get(i), results.get(i));
        }
        return out;
    }

    /** The same tables, each with the same rows; a difference names its table. */
    public static <T> void assertSameTables(Map<TableRef, T> actual, Map<TableRef, T> expected) {
        // As plain sets: AssertJ compares a sorted set's elements in its order, and a map of tables may be either.
        assertThat(new HashSet<>(actual.keySet())).isEqualTo(new HashSet<>(expected.keySet()));
        expected.forEach((t, rows) -> assertThat(actual.get(t)).as(t.qualified()).isEqualTo(rows));
    }

    public static List<String> columns(Dataset<Row> df) {
        return Arrays.asList(df.columns());
    }
}
