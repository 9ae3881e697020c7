package io.supportroi.model;

import io.supportroi.ingest.LandingSource;
import io.supportroi.ops.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

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

    private BronzeTables(SparkSession spark, Map<LandingSource, Dataset<Row>> frames) {
        this.spark = spark;
        this.frames = frames;
    }

    public static BronzeTables read(Warehouse wh) {
        Map<LandingSource, Dataset<Row>> frames = new EnumMap<>(LandingSource.class);
        for (LandingSource s : LandingSource.values()) {
            if (wh.exists(s.bronze())) {
                frames.put(s, wh.read(s.bronze()));
            }
        }
        return new BronzeTables(wh.spark(), frames);
    }

    /** Only the given sources; every other one empty (tests). */
    public static BronzeTables of(SparkSession spark, Map<LandingSource, Dataset<Row>> frames) {
        return new BronzeTables(spark, new EnumMap<>(frames));
    }

    public Dataset<Row> get(LandingSource source) {
        Dataset<Row> df = frames.get(source);
        return df != null ? df : spark.createDataFrame(List.of(), source.bronzeSchema());
    }

    public BronzeTables with(LandingSource source, Dataset<Row> frame) {
        Map<LandingSource, Dataset<Row>> copy = new EnumMap<>(LandingSource.class);
        copy.putAll(frames);
        copy.put(source, frame);
        return new BronzeTables(spark, copy);
    }

    public SparkSession spark() {
        return spark;
    }
}
