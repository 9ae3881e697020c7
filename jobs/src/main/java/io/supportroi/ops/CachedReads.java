package io.supportroi.ops;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.util.HashMap;
import java.util.Map;

/**
 * Tables read once and cached until closed: what the quality gates and gold read of silver. Gold's tables read the
 * same dozen silver tables dozens of times, and each scan of a Delta table plans with a Spark job over its snapshot
 * (68 of gold's jobs over the hand-written fixture); a scan of the cache does not. Not thread-safe: reads are
 * declared by the thread that builds the plans.
 */
public final class CachedReads implements AutoCloseable {
    private final Warehouse wh;
    private final Map<TableRef, Dataset<Row>> held = new HashMap<>();

    public CachedReads(Warehouse wh) {
        this.wh = wh;
    }

    /** The table as it is now, cached from its first use on; the same Dataset for every call. */
    public Dataset<Row> read(TableRef table) {
        return held.computeIfAbsent(table, t -> wh.read(t).persist(StorageLevel.MEMORY_AND_DISK()));
    }

    @Override
    public void close() {
        held.values().forEach(Dataset::unpersist);
        held.clear();
    }
}
