package io.supportroi.model;

import io.supportroi.ingest.Bronze;
import io.supportroi.ingest.LandingSource;
import io.supportroi.ops.CachedReads;
import io.supportroi.ops.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Silver's input: one bronze frame per landing source. A source that never delivered a file reads as an empty frame
 * of its bronze schema, so every silver transformation runs unchanged on a landing with only some sources.
 */
public final class BronzeTables {
    private final SparkSession spark;
    private final Map<LandingSource, Dataset<Row>> frames;
    /** What {@link #read} holds, released by {@link #release}; null when nothing is held. */
    private final CachedReads held;

    private BronzeTables(SparkSession spark, Map<LandingSource, Dataset<Row>> frames, CachedReads held) {
        this.spark = spark;
        this.frames = frames;
        this.held = held;
    }

    public static BronzeTables read(Warehouse wh) {
        return read(wh, false);
    }

    /**
     * @param held read each table once and hold it (persisted) until {@link #release}: silver's tables read the
     *             same bronze table several times, and each scan of a Delta table is planned with a Spark job over
     *             its snapshot, which costs more than the scan itself when the data is small. The tables are
     *             planned concurrently. Held without {@link Bronze#RAW}, which silver never reads and which is
     *             most of a record's bytes: a scan of Parquet skips that column, a cache would have to fill it.
     */
    public static BronzeTables read(Warehouse wh, boolean held) {
        List<LandingSource> present = Arrays.stream(LandingSource.values()).filter(s -> wh.exists(s.bronze()))
                .toList();
        CachedReads reads = held ? new CachedReads(wh, df -> df.drop(Bronze.RAW)) : null;
        if (reads != null) {
            reads.readAll(present.stream().map(LandingSource::bronze).toList());
        }
        Map<LandingSource, Dataset<Row>> frames = new EnumMap<>(LandingSource.class);
        present.forEach(s -> frames.put(s, reads != null ? reads.read(s.bronze()) : wh.read(s.bronze())));
        return new BronzeTables(wh.spark(), frames, reads);
    }

    /** Releases what {@link #read} held. */
    public void release() {
        if (held != null) {
            held.close();
        }
    }

    /** Only the given sources; every other one empty (tests). */
    public static BronzeTables of(SparkSession spark, Map<LandingSource, Dataset<Row>> frames) {
        return new BronzeTables(spark, new EnumMap<>(frames), null);
    }

    public Dataset<Row> get(LandingSource source) {
        Dataset<Row> df = frames.get(source);
        return df != null ? df : spark.createDataFrame(List.of(), source.bronzeSchema());
    }

    public BronzeTables with(LandingSource source, Dataset<Row> frame) {
        Map<LandingSource, Dataset<Row>> copy = new EnumMap<>(LandingSource.class);
        copy.putAll(frames);
        copy.put(source, frame);
        // The original owns what it holds and releases it.
        return new BronzeTables(spark, copy, null);
    }

    public SparkSession spark() {
        return spark;
    }
}
