package io.supportroi.ops;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** {@code ops.runs}: one row per run, with what it read, wrote and quarantined per table. */
public final class Runs {
    private Runs() {}

    public static final TableRef TABLE = TableRef.ops("runs");

    public static final String RUN_ID = "run_id";
    public static final String COMMAND = "command";
    public static final String AS_OF = "as_of";
    public static final String STARTED_AT = "started_at";
    public static final String ENDED_AT = "ended_at";
    public static final String STATUS = "status";
    public static final String ERROR = "error";
    public static final String FILES_INGESTED = "files_ingested";
    /** Landing files skipped because their content was already ingested; null on rows of older versions. */
    public static final String DUPLICATE_FILES = "duplicate_files";
    public static final String ROWS_READ = "rows_read";
    public static final String ROWS_WRITTEN = "rows_written";
    public static final String ROWS_QUARANTINED = "rows_quarantined";
    public static final String TABLES = "tables";

    public static final String T_TABLE = "table";
    public static final String T_ROWS_READ = "rows_read";
    public static final String T_ROWS_WRITTEN = "rows_written";
    public static final String T_ROWS_QUARANTINED = "rows_quarantined";

    public static final String UNMATCHED = "unmatched";
    public static final String U_TABLE = "table";
    public static final String U_SOURCE = "source";
    public static final String U_TIED_TO = "tied_to";
    public static final String U_RECORDS = "records";
    public static final String U_UNMATCHED = "unmatched";
    public static final String U_WITHOUT_EMAIL = "without_email";

    public static final String STAGES = "stages";
    public static final String S_STAGE = "stage";
    public static final String S_STARTED_AT = "started_at";
    public static final String S_ENDED_AT = "ended_at";
    public static final String S_STATUS = "status";
    public static final String S_ROWS_IN = "rows_in";
    public static final String S_ROWS_OUT = "rows_out";
    public static final String S_ROWS_QUARANTINED = "rows_quarantined";
    public static final String S_ERROR = "error";

    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    /** A stage the run did not need (nothing new to do). */
    public static final String SKIPPED = "skipped";

    private static final StructType TABLE_COUNTS = new StructType()
            .add(T_TABLE, DataTypes.StringType, false)
            .add(T_ROWS_READ, DataTypes.LongType, false)
            .add(T_ROWS_WRITTEN, DataTypes.LongType, false)
            .add(T_ROWS_QUARANTINED, DataTypes.LongType, false);

    private static final StructType UNMATCHED_COUNTS = new StructType()
            .add(U_TABLE, DataTypes.StringType, false)
            .add(U_SOURCE, DataTypes.StringType, false)
            .add(U_TIED_TO, DataTypes.StringType, false)
            .add(U_RECORDS, DataTypes.LongType, false)
            .add(U_UNMATCHED, DataTypes.LongType, false)
            .add(U_WITHOUT_EMAIL, DataTypes.LongType, false);

    private static final StructType STAGE = new StructType()
            .add(S_STAGE, DataTypes.StringType, false)
            .add(S_STARTED_AT, DataTypes.TimestampType, false)
            .add(S_ENDED_AT, DataTypes.TimestampType, false)
            .add(S_STATUS, DataTypes.StringType, false)
            .add(S_ROWS_IN, DataTypes.LongType, true)
            .add(S_ROWS_OUT, DataTypes.LongType, false)
            .add(S_ROWS_QUARANTINED, DataTypes.LongType, false)
            .add(S_ERROR, DataTypes.StringType, true);

    public static final StructType SCHEMA = new StructType()
            .add(RUN_ID, DataTypes.StringType, false)
            .add(COMMAND, DataTypes.StringType, false)
            .add(AS_OF, DataTypes.DateType, true)
            .add(STARTED_AT, DataTypes.TimestampType, false)
            .add(ENDED_AT, DataTypes.TimestampType, false)
            .add(STATUS, DataTypes.StringType, false)
            .add(ERROR, DataTypes.StringType, true)
            .add(FILES_INGESTED, DataTypes.LongType, false)
            .add(ROWS_READ, DataTypes.LongType, false)
            .add(ROWS_WRITTEN, DataTypes.LongType, false)
            .add(ROWS_QUARANTINED, DataTypes.LongType, false)
            .add(TABLES, new ArrayType(TABLE_COUNTS, false), false)
            .add(UNMATCHED, new ArrayType(UNMATCHED_COUNTS, false), true)
            .add(STAGES, new ArrayType(STAGE, false), true)
            .add(DUPLICATE_FILES, DataTypes.LongType, true);

    /** Counts for one table in one run. */
    public record TableCount(String table, long read, long written, long quarantined) {}

    /**
     * One stage of a run: ingest (records read from files, written to bronze, quarantined), silver and gold (rows
     * of the tables they built; {@code rowsIn} null where the stage does not count its input).
     */
    public record Stage(String stage, Timestamp startedAt, Timestamp endedAt, String status, Long rowsIn,
                        long rowsOut, long rowsQuarantined, String error) {}

    public static Row row(String runId, String command, LocalDate asOf, Timestamp started, Timestamp ended,
                          String status, String error, long filesIngested, long duplicateFiles,
                          List<TableCount> counts,
                          List<io.supportroi.model.Unmatched.Count> unmatched, List<Stage> stages) {
        long read = 0;
        long written = 0;
        long quarantined = 0;
        List<Row> tables = new ArrayList<>();
        for (TableCount c : counts) {
            read += c.read();
            written += c.written();
            quarantined += c.quarantined();
            tables.add(RowFactory.create(c.table(), c.read(), c.written(), c.quarantined()));
        }
        List<Row> unmatchedRows = new ArrayList<>();
        for (io.supportroi.model.Unmatched.Count u : unmatched) {
            unmatchedRows.add(RowFactory.create(u.table(), u.source(), u.tiedTo(), u.records(), u.unmatched(),
                    u.withoutEmail()));
        }
        List<Row> stageRows = new ArrayList<>();
        for (Stage st : stages) {
            stageRows.add(RowFactory.create(st.stage(), st.startedAt(), st.endedAt(), st.status(), st.rowsIn(),
                    st.rowsOut(), st.rowsQuarantined(), st.error()));
        }
        return RowFactory.create(runId, command, asOf == null ? null : Date.valueOf(asOf), started, ended, status,
                error, filesIngested, read, written, quarantined,
                scala.jdk.javaapi.CollectionConverters.asScala(tables).toSeq(),
                scala.jdk.javaapi.CollectionConverters.asScala(unmatchedRows).toSeq(),
                scala.jdk.javaapi.CollectionConverters.asScala(stageRows).toSeq(), duplicateFiles);
    }
}
