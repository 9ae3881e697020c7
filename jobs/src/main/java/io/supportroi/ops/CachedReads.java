package io.supportroi.ops;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Tables read once and cached until closed (or handed over, {@link #hold}): what the quality gates and gold read
 * of silver (and silver of bronze, on small data). Gold's tables read the same dozen silver tables dozens of times,
 * and each scan of a Delta table plans with a Spark job over its snapshot (68 of gold's jobs over the hand-written
 * fixture); a scan of the cache does not. Thread-safe: gold's tables are planned by several threads at once,
 * silver's merges hand over their rows from theirs.
 */
public final class CachedReads implements AutoCloseable {
    private final Warehouse wh;
    private final UnaryOperator<Dataset<Row>> shape;
    private final Map<TableRef, Dataset<Row>> held = new ConcurrentHashMap<>();

    public CachedReads(Warehouse wh) {
        this(wh, UnaryOperator.identity());
    }

    /** @param shape applied to each table before it is held (columns the reader never needs, left out) */
    public CachedReads(Warehouse wh, UnaryOperator<Dataset<Row>> shape) {
        this.wh = wh;
        this.shape = shape;
    }

    /** The table as it is now, cached from its first use on; the same Dataset for every call. */
    public Dataset<Row> read(TableRef table) {
        return held.computeIfAbsent(table, this::hold);
    }

    private Dataset<Row> hold(TableRef table) {
        return shape.apply(wh.read(table)).persist(StorageLevel.MEMORY_AND_DISK());
    }

    /**
     * From now on, {@code rows} stand for the table: for a stage that has just brought the table to exactly these
     * rows (silver's MERGE) and holds them. Reading the table back would first compute the snapshot of its new
     * version, a Spark job or two per table. {@code rows} must not depend on inputs the caller releases (Spark would
     * then recompute them for every later read): a {@link #detached} copy, which the write already filled.
     */
    public void hold(TableRef table, Dataset<Row> rows) {
        held.put(table, shape.apply(rows));
    }

    /**
     * {@code rows} as a copy that, once the first job over it has computed it, no longer depends on the inputs
     * they were computed from: a lazy local checkpoint, filled by that job (the table's write), not by a job of its
     * own. For small data: a local checkpoint is not recomputed when an executor is lost, and its blocks are not a
     * cache entry, so closing does not release them; Spark's context cleaner does once nothing refers to the copy.
     * In as many partitions as the table's files on small data (one or two): every later stage over it runs that
     * many tasks, not one per source the rows were built from.
     */
    public static Dataset<Row> detached(Dataset<Row> rows) {
        return SparkSessions.inSmallDataPartitions(rows).localCheckpoint(false);
    }

    /**
     * Reads every one of {@code tables} not yet held, concurrently: planning a Delta scan is a Spark job or two
     * over the table's log, latency more than work, and a stage that starts by reading a dozen tables one after
     * the other waits for a dozen of them in a row.
     */
    public void readAll(List<TableRef> tables) {
        List<TableRef> missing = tables.stream().distinct().filter(t -> !held.containsKey(t)).toList();
        List<Dataset<Row>> read = Parallel.run(Parallel.TABLES_AT_ONCE, missing.stream()
                .<Callable<Dataset<Row>>>map(t -> () -> hold(t))
                .toList(), "reading tables");
        for (int i = 0; i < missing.size(); i++) {
            // Another thread may have read the same table meanwhile: the same plan, so Spark cached it once.
            held.putIfAbsent(missing.get(i), read.get(i));
        }
    }

    @Override
    public void close() {
        held.values().forEach(Dataset::unpersist);
        held.clear();
    }
}
