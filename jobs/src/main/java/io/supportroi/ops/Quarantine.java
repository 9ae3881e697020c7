package io.supportroi.ops;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** {@code ops.quarantine}: every record that could not be parsed or failed validation, with where it came from. */
public final class Quarantine {
    private Quarantine() {}

    public static final TableRef TABLE = TableRef.ops("quarantine");

    public static final String RUN_ID = "run_id";
    public static final String SOURCE = "source";
    public static final String FILE = "file";
    public static final String FILE_HASH = "file_hash";
    public static final String LINE = "line";
    public static final String RECORD_INDEX = "record_index";
    public static final String REASON = "reason";
    public static final String RAW = "raw";
    public static final String QUARANTINED_AT = "quarantined_at";

    public static final StructType SCHEMA = new StructType()
            .add(RUN_ID, DataTypes.StringType, false)
            .add(SOURCE, DataTypes.StringType, false)
            .add(FILE, DataTypes.StringType, false)
            .add(FILE_HASH, DataTypes.StringType, true)
            .add(LINE, DataTypes.LongType, true)
            .add(RECORD_INDEX, DataTypes.LongType, true)
            .add(REASON, DataTypes.StringType, false)
            .add(RAW, DataTypes.StringType, true)
            .add(QUARANTINED_AT, DataTypes.TimestampType, false);
}
