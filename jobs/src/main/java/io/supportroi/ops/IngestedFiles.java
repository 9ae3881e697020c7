package io.supportroi.ops;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;

import static org.apache.spark.sql.functions.lit;

/**
 * {@code ops.ingested_files}: the manifest that makes ingestion exactly-once. A file is known by path, size and
 * content hash; the same path with new content is a new version and is ingested again. A file whose content was
 * already ingested under another path is a row with {@link #DUPLICATE_OF} set and no records
 * ({@code io.supportroi.ingest.DuplicateFiles}).
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
    /** The file that brought this content to bronze; null for a file whose records were read. */
    public static final String DUPLICATE_OF = "duplicate_of";

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
            .add(QUARANTINED, DataTypes.LongType, false)
            .add(DUPLICATE_OF, DataTypes.StringType, true);

    /** The manifest; one written before duplicates were recorded reads as if none of its files were one. */
    public static Dataset<Row> read(Warehouse wh) {
        Dataset<Row> manifest = wh.readOrEmpty(TABLE, SCHEMA);
        if (!Arrays.asList(manifest.columns()).contains(DUPLICATE_OF)) {
            manifest = manifest.withColumn(DUPLICATE_OF, lit(null).cast(DataTypes.StringType));
        }
        return manifest;
    }
}
