package io.supportroi.ops;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.unix_timestamp;

/** What {@code supportroi status} shows: the latest runs, every table's freshness, and who holds the warehouse. */
public final class Status {
    private Status() {}

    public static final String TABLE = "table";
    public static final String VERSION = "version";
    public static final String LAST_COMMIT_AT = "last_commit_at";
    public static final String LAST_OPERATION = "last_operation";
    public static final String LAST_RUN_ID = "last_run_id";
    public static final String SECONDS = "seconds";

    public static final StructType FRESHNESS_SCHEMA = new StructType()
            .add(TABLE, DataTypes.StringType, false)
            .add(VERSION, DataTypes.LongType, false)
            .add(LAST_COMMIT_AT, DataTypes.TimestampType, true)
            .add(LAST_OPERATION, DataTypes.StringType, true)
            .add(LAST_RUN_ID, DataTypes.StringType, true);

    /** The latest {@code n} runs, newest first; empty when the warehouse has never run. */
    public static Dataset<Row> recentRuns(Warehouse wh, int n) {
        Dataset<Row> runs = wh.readOrEmpty(Runs.TABLE, Runs.SCHEMA);
        return runs.orderBy(col(Runs.STARTED_AT).desc(), col(Runs.RUN_ID).desc()).limit(n)
                .select(col(Runs.RUN_ID), col(Runs.AS_OF), col(Runs.STARTED_AT),
                        unix_timestamp(col(Runs.ENDED_AT)).minus(unix_timestamp(col(Runs.STARTED_AT))).as(SECONDS),
                        col(Runs.STATUS), col(Runs.FILES_INGESTED), col(Runs.ROWS_READ), col(Runs.ROWS_WRITTEN),
                        col(Runs.ROWS_QUARANTINED), col(Runs.ERROR));
    }

    /**
     * One row per table: its Delta version, when and by which operation and run (the commit's userMetadata) it was
     * last written. A driver-side loop over the tables, not the data: a warehouse has a few dozen tables.
     */
    public static Dataset<Row> freshness(Warehouse wh) {
        List<Row> rows = new ArrayList<>();
        for (TableRef t : wh.listTables()) {
            Row h = DeltaTable.forPath(wh.spark(), wh.path(t)).history(1)
                    .select("version", "timestamp", "operation", "userMetadata").head();
            rows.add(RowFactory.create(t.qualified(), h.getLong(0), (Timestamp) h.get(1), h.getString(2),
                    h.isNullAt(3) ? null : h.getString(3)));
        }
        return wh.spark().createDataFrame(rows, FRESHNESS_SCHEMA);
    }
}
