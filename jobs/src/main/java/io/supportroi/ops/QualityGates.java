package io.supportroi.ops;

import io.supportroi.config.Settings;
import io.supportroi.model.Orders;
import io.supportroi.model.RenewalAttempts;
import io.supportroi.model.Tickets;
import io.supportroi.model.Unmatched;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Data-quality gates between silver and gold, configured under {@code supportroi.quality}: keys present and unique
 * in every silver table, no silver table shrinking by more than a share since the last successful run, no source
 * leaving more than a share of its records untied to a customer, and no event table (tickets, orders, renewal
 * attempts) falling more than some days behind the as-of date — a feed that stopped arriving. A failed gate keeps
 * gold at its last good version and the run exits with code 3; every result lands in {@code ops.quality_results}.
 */
public final class QualityGates {
    private QualityGates() {}

    public static final TableRef TABLE = TableRef.ops("quality_results");

    public static final String RUN_ID = "run_id";
    public static final String CHECKED_AT = "checked_at";
    public static final String GATE = "gate";
    public static final String SUBJECT = "subject";
    public static final String VALUE = "value";
    public static final String THRESHOLD = "threshold";
    public static final String PASSED = "passed";
    public static final String DETAIL = "detail";

    public static final String NULL_KEYS = "null_keys";
    public static final String DUPLICATE_KEYS = "duplicate_keys";
    public static final String ROW_COUNT_DROP = "row_count_drop";
    public static final String UNMATCHED_SHARE = "unmatched_share";
    public static final String SOURCE_LAG_DAYS = "source_lag_days";

    public static final StructType SCHEMA = new StructType()
            .add(RUN_ID, DataTypes.StringType, false)
            .add(CHECKED_AT, DataTypes.TimestampType, false)
            .add(GATE, DataTypes.StringType, false)
            .add(SUBJECT, DataTypes.StringType, false)
            .add(VALUE, DataTypes.DoubleType, true)
            .add(THRESHOLD, DataTypes.DoubleType, false)
            .add(PASSED, DataTypes.BooleanType, false)
            .add(DETAIL, DataTypes.StringType, true);

    /** Each event table and the column that says when its newest record happened. */
    public static final Map<TableRef, String> EVENT_TIME = Map.of(
            Tickets.TABLE, Tickets.CREATED_AT,
            Orders.TABLE, Orders.ORDERED_AT,
            RenewalAttempts.TABLE, RenewalAttempts.ATTEMPTED_AT);

    /** One gate's verdict on one subject (a table, or a table and source). */
    public record Result(String gate, String subject, Double value, double threshold, boolean passed, String detail) {}

    /**
     * What the gates look at.
     *
     * @param silver        every silver table, by name
     * @param keys          each silver table's key columns
     * @param previousRows  rows per silver table (qualified name) after the last successful run; empty for the first
     * @param unmatched     records not tied to a customer or order, per table and source
     */
    public record Inputs(Map<TableRef, Dataset<Row>> silver, Map<TableRef, List<String>> keys,
                         Map<String, Long> previousRows, List<Unmatched.Count> unmatched) {}

    public static List<Result> evaluate(Inputs in, Settings.QualitySettings q, Timestamp asOfEnd) {
        List<Result> out = new ArrayList<>();
        Map<String, Row> measured = measure(in);
        for (TableRef table : new java.util.TreeMap<>(byName(in.silver())).values()) {
            Row counts = measured.get(table.qualified());
            long total = counts.isNullAt(1) ? 0 : counts.getLong(1);
            long duplicates = counts.isNullAt(2) ? 0 : counts.getLong(2);
            long nulls = counts.isNullAt(3) ? 0 : counts.getLong(3);
            List<String> keys = in.keys().get(table);
            out.add(new Result(NULL_KEYS, table.qualified(), (double) nulls, 0, nulls == 0,
                    nulls + " row(s) with a null in " + keys));
            out.add(new Result(DUPLICATE_KEYS, table.qualified(), (double) duplicates, 0, duplicates == 0,
                    duplicates + " key(s) on more than one row"));
            Long previous = in.previousRows().get(table.qualified());
            if (previous != null && previous > 0) {
                double drop = (double) (previous - total) / previous;
                out.add(new Result(ROW_COUNT_DROP, table.qualified(), drop, q.maxRowDrop(), drop <= q.maxRowDrop(),
                        previous + " row(s) after the last successful run, " + total + " now"));
            }
            String eventTime = EVENT_TIME.get(table);
            if (eventTime != null && !counts.isNullAt(4)) {
                Timestamp newest = counts.getTimestamp(4);
                double lag = (asOfEnd.getTime() - newest.getTime()) / 86_400_000.0;
                out.add(new Result(SOURCE_LAG_DAYS, table.qualified(), lag, q.maxSourceLagDays(),
                        lag <= q.maxSourceLagDays(), "newest " + eventTime + " " + newest));
            }
        }
        for (Unmatched.Count u : in.unmatched()) {
            if (u.records() < q.minRecordsForShare()) {
                continue;
            }
            double share = (double) u.unmatched() / u.records();
            out.add(new Result(UNMATCHED_SHARE, u.table() + " from " + u.source(), share, q.maxUnmatchedShare(),
                    share <= q.maxUnmatchedShare(), u.unmatched() + " of " + u.records() + " not tied to "
                    + (Unmatched.ORDER.equals(u.tiedTo()) ? "an order" : "a customer")));
        }
        return out;
    }

    /**
     * Rows per silver table as the latest successful run that built it left them (runs that found nothing new do
     * not list silver tables), from {@code ops.runs}: one small row per table.
     */
    public static Map<String, Long> previousRows(Warehouse wh) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (!wh.exists(Runs.TABLE)) {
            return out;
        }
        List<Row> last = wh.read(Runs.TABLE).filter(col(Runs.STATUS).equalTo(Runs.SUCCEEDED))
                .select(col(Runs.STARTED_AT), explode(col(Runs.TABLES)).as("t"))
                .select(col(Runs.STARTED_AT), col("t." + Runs.T_TABLE).as("_table"),
                        col("t." + Runs.T_ROWS_READ).as("_rows"))
                .filter(col("_table").startsWith(Layer.SILVER.dir() + "."))
                .groupBy("_table").agg(max_by(col("_rows"), col(Runs.STARTED_AT)))
                .collectAsList();
        for (Row r : last) {
            out.put(r.getString(0), r.getLong(1));
        }
        return out;
    }

    public static void record(Warehouse wh, String runId, Timestamp checkedAt, List<Result> results) {
        List<Row> rows = new ArrayList<>();
        for (Result r : results) {
            rows.add(RowFactory.create(runId, checkedAt, r.gate(), r.subject(), r.value(), r.threshold(), r.passed(),
                    r.detail()));
        }
        wh.append(TABLE, wh.spark().createDataFrame(rows, SCHEMA), runId);
    }

    /**
     * Per silver table (qualified name): the table's name, rows, keys on more than one row, rows with a null key, and
     * the newest event time (null for tables without one). One job for every table: on a small shop each gate's
     * own job was most of the stage's time. One row per table, so collecting it is bounded.
     */
    private static Map<String, Row> measure(Inputs in) {
        Dataset<Row> all = null;
        for (Map.Entry<TableRef, Dataset<Row>> e : in.silver().entrySet()) {
            Dataset<Row> rows = e.getValue();
            List<String> keys = in.keys().get(e.getKey());
            Column anyNull = null;
            for (String k : keys) {
                anyNull = anyNull == null ? col(k).isNull() : anyNull.or(col(k).isNull());
            }
            String eventTime = EVENT_TIME.get(e.getKey());
            Dataset<Row> perKey = rows.groupBy(keys.stream().map(org.apache.spark.sql.functions::col)
                            .toArray(Column[]::new))
                    .agg(count(lit(1)).as("_n"), max(when(anyNull, 1).otherwise(0)).as("_null"),
                            (eventTime == null ? lit(null).cast(DataTypes.TimestampType) : max(col(eventTime)))
                                    .as("_newest"));
            Dataset<Row> one = perKey.agg(sum(col("_n")).as("_rows"),
                            sum(when(col("_n").gt(1), 1L).otherwise(0L)).as("_dup"),
                            sum(col("_null").multiply(col("_n"))).as("_nulls"), max(col("_newest")).as("_newest"))
                    .select(lit(e.getKey().qualified()).as("_table"), col("_rows"), col("_dup"),
                            col("_nulls").cast(DataTypes.LongType).as("_nulls"), col("_newest"));
            all = all == null ? one : all.unionByName(one);
        }
        Map<String, Row> out = new LinkedHashMap<>();
        if (all != null) {
            all.collectAsList().forEach(r -> out.put(r.getString(0), r));
        }
        return out;
    }

    private static Map<String, TableRef> byName(Map<TableRef, Dataset<Row>> silver) {
        Map<String, TableRef> out = new LinkedHashMap<>();
        silver.keySet().forEach(t -> out.put(t.qualified(), t));
        return out;
    }
}
