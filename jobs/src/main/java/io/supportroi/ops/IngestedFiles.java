package io.supportroi.ops;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code ops.ingested_files}: the manifest that makes ingestion exactly-once. A file is known by path, size and
 * content hash; the same path with new content is a new version and is ingested again.
 */
public final class IngestedFiles {
    private IngestedFiles() {}

    public static final TableRef TABLE = TableRef.ops("ingested_files");

    public static final String PATH = "path";
    public static final String SIZE = "size";
    public static final String MODIFIED_AT = "modified_at";
    public static final String CONTENT_HASH = "content_hash";
    public static final String SOURCE = "source";
    public static final String RUN_ID = "run_id";
    public static final String INGESTED_AT = "ingested_at";
    public static final String RECORDS = "records";
    public static final String WRITTEN = "written";
    public static final String QUARANTINED = "quarantined";

    public static final StructType SCHEMA = new StructType()
            .add(PATH, DataTypes.StringType, false)
            .add(SIZE, DataTypes.LongType, false)
            .add(MODIFIED_AT, DataTypes.TimestampType, true)
            .add(CONTENT_HASH, DataTypes.StringType, false)
            .add(SOURCE, DataTypes.StringType, false)
            .add(RUN_ID, DataTypes.StringType, false)
            .add(INGESTED_AT, DataTypes.TimestampType, false)
            .add(RECORDS, DataTypes.LongType, false)
            .add(WRITTEN, DataTypes.LongType, false)
            .add(QUARANTINED, DataTypes.LongType, false);
}
