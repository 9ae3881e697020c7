package io.supportroi.ingest;

/** Lineage columns every bronze table carries next to the source's own fields. */
public final class Bronze {
    private Bronze() {}

    /** The record exactly as it stood in the file: fields the schema does not know yet survive here. */
    public static final String RAW = "_raw";
    public static final String SOURCE_FILE = "_source_file";
    public static final String FILE_HASH = "_file_hash";
    public static final String LINE = "_line";
    public static final String RECORD_INDEX = "_record_index";
    public static final String INGESTED_AT = "_ingested_at";
    public static final String RUN_ID = "_run_id";
}
