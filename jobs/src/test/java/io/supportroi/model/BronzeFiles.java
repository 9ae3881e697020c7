package io.supportroi.model;

import io.supportroi.ingest.Bronze;
import io.supportroi.ingest.BronzeIngest;
import io.supportroi.ingest.LandingSource;
import io.supportroi.ingest.RecordSplitter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * Bronze frames from file text, in memory: the same splitter and parser as ingestion, lineage filled in, no Delta.
 * For tests of silver transformations on a few records.
 */
final class BronzeFiles {
    private BronzeFiles() {}

    /** One file version of {@code source}, ingested at {@code ingestedAt} by run {@code runId}; good records only. */
    static Dataset<Row> of(SparkSession spark, LandingSource source, String file, String runId, String ingestedAt,
                           String text) {
        List<RecordSplitter.RawRecord> recs = switch (source.format()) {
            case CSV -> RecordSplitter.csv(text);
            case JSON_PAGE -> RecordSplitter.jsonPage(text, source.arrayKey());
            case JSON_LINES -> RecordSplitter.jsonLines(text);
        };
        List<Row> rows = new ArrayList<>();
        for (RecordSplitter.RawRecord r : recs) {
            rows.add(RowFactory.create(file, Integer.toHexString(text.hashCode()), r.line(), r.index(), r.raw(),
                    r.error(), null));
        }
        Dataset<Row> parsed = BronzeIngest.parse(spark.createDataFrame(rows, BronzeIngest.RECORDS_SCHEMA), source);
        return parsed.filter(col("_reason").isNull()).drop("_reason")
                .withColumn(Bronze.INGESTED_AT, lit(Timestamp.from(java.time.Instant.parse(ingestedAt))))
                .withColumn(Bronze.RUN_ID, lit(runId));
    }

    /** The reasons records of the text were refused for, in file order (null for a good record). */
    static List<String> reasons(SparkSession spark, LandingSource source, String text) {
        List<RecordSplitter.RawRecord> recs = source.format() == LandingSource.Format.CSV
                ? RecordSplitter.csv(text) : RecordSplitter.jsonPage(text, source.arrayKey());
        List<Row> rows = new ArrayList<>();
        for (RecordSplitter.RawRecord r : recs) {
            rows.add(RowFactory.create("f", "h", r.line(), r.index(), r.raw(), r.error(), null));
        }
        return BronzeIngest.parse(spark.createDataFrame(rows, BronzeIngest.RECORDS_SCHEMA), source)
                .orderBy(Bronze.RECORD_INDEX).select("_reason").collectAsList().stream()
                .map(r -> r.getString(0)).toList();
    }
}
