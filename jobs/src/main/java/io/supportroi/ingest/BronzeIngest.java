package io.supportroi.ingest;

import io.delta.tables.DeltaTable;
import io.supportroi.ops.FaultPoints;
import io.supportroi.ops.IngestedFiles;
import io.supportroi.ops.Progress;
import io.supportroi.ops.Quarantine;
import io.supportroi.ops.Seqs;
import io.supportroi.ops.Warehouse;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.ltrim;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Landing files to bronze, each file exactly once. Records that cannot be parsed or lack a required field go to
 * {@code ops.quarantine}; the rest of their file is still ingested. The manifest row is written last, so a crash
 * leaves the file "not ingested" and the next run first removes whatever half of it reached bronze.
 */
public final class BronzeIngest {
    private BronzeIngest() {}

    /** Internal column holding the quarantine reason; null for a good record. */
    static final String REASON = "_reason";
    private static final String PARSED = "_parsed";
    private static final String CORRUPT = "_corrupt";
    private static final String SPLIT_ERROR = "_split_error";

    /** Records as cut from files, before parsing. */
    public static final StructType RECORDS_SCHEMA = new StructType()
            .add(Bronze.SOURCE_FILE, DataTypes.StringType, false)
            .add(Bronze.FILE_HASH, DataTypes.StringType, false)
            .add(Bronze.LINE, DataTypes.LongType, false)
            .add(Bronze.RECORD_INDEX, DataTypes.LongType, false)
            .add(Bronze.RAW, DataTypes.StringType, true)
            .add(SPLIT_ERROR, DataTypes.StringType, true);

    public record SourceResult(LandingSource source, long files, long read, long written, long quarantined) {}

    /** A landing file not yet in the manifest. */
    public record NewFile(String path, long size, long modifiedAt) {}

    private record Ingested(SourceResult result, List<Row> manifestRows) {}

    public static List<SourceResult> run(Warehouse wh, String landing, String runId, Timestamp ingestedAt,
                                         long maxFileBytes) {
        List<SourceResult> results = new ArrayList<>();
        List<Row> manifestRows = new ArrayList<>();
        // Only a path's latest version counts as "seen": a file reverted to earlier content is new again.
        Dataset<Row> manifest = latestPerPath(wh.readOrEmpty(IngestedFiles.TABLE, IngestedFiles.SCHEMA)).cache();
        try {
            for (LandingSource source : LandingSource.values()) {
                upgradeSchema(wh, source, runId);
                List<NewFile> candidates = listFiles(wh, landing, source);
                Ingested ingested = ingestSource(wh, source, candidates, manifest, runId, ingestedAt, maxFileBytes);
                results.add(ingested.result());
                manifestRows.addAll(ingested.manifestRows());
            }
        } finally {
            manifest.unpersist();
        }
        // The manifest is written last and in one commit: until it lands, every file of this run counts as new.
        if (!manifestRows.isEmpty()) {
            wh.append(IngestedFiles.TABLE, wh.spark().createDataFrame(manifestRows, IngestedFiles.SCHEMA), runId);
        }
        return results;
    }

    static Dataset<Row> latestPerPath(Dataset<Row> manifest) {
        var w = org.apache.spark.sql.expressions.Window.partitionBy(IngestedFiles.PATH)
                .orderBy(col(IngestedFiles.INGESTED_AT).desc(), col(IngestedFiles.RUN_ID).desc());
        return manifest.withColumn("_rn", org.apache.spark.sql.functions.row_number().over(w))
                .filter(col("_rn").equalTo(1)).drop("_rn");
    }

    static List<NewFile> listFiles(Warehouse wh, String landing, LandingSource source) {
        List<NewFile> out = new ArrayList<>();
        try {
            Path dir = new Path(landing, source.dir());
            FileSystem fs = dir.getFileSystem(wh.spark().sparkContext().hadoopConfiguration());
            if (!fs.exists(dir)) {
                return out;
            }
            boolean recursive = !source.dir().equals("reference");
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, recursive);
            while (it.hasNext()) {
                LocatedFileStatus st = it.next();
                String name = st.getPath().getName();
                if (name.startsWith(".") || name.startsWith("_") || !source.accepts(name)) {
                    continue;
                }
                out.add(new NewFile(st.getPath().toString(), st.getLen(), st.getModificationTime()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list landing folder for " + source.sourceName(), e);
        }
        out.sort((a, b) -> a.path().compareTo(b.path()));
        return out;
    }

    private static Ingested ingestSource(Warehouse wh, LandingSource source, List<NewFile> candidates,
                                         Dataset<Row> manifest, String runId, Timestamp ingestedAt,
                                         long maxFileBytes) {
        var spark = wh.spark();
        Ingested nothing = new Ingested(new SourceResult(source, 0, 0, 0, 0), List.of());
        if (candidates.isEmpty()) {
            return nothing;
        }
        // Same path, size and modification time as a manifest entry: unchanged, no need to read it again.
        List<Row> candidateRows = candidates.stream()
                .map(f -> RowFactory.create(f.path(), f.size(), new Timestamp(f.modifiedAt()))).toList();
        StructType candidateSchema = new StructType()
                .add("path", DataTypes.StringType).add("size", DataTypes.LongType)
                .add("modified_at", DataTypes.TimestampType);
        Dataset<Row> known = manifest.select(IngestedFiles.PATH, IngestedFiles.SIZE, IngestedFiles.MODIFIED_AT);
        List<String> toRead = spark.createDataFrame(candidateRows, candidateSchema)
                .join(known, Seqs.of("path", "size", "modified_at"), "left_anti")
                .select("path").as(Encoders.STRING()).collectAsList();
        if (toRead.isEmpty()) {
            return nothing;
        }
        // Spark's file sources skip zero-byte files: recorded here, they are seen (and counted) once, not never.
        java.util.Set<String> toReadSet = new java.util.HashSet<>(toRead);
        List<NewFile> zeroByte = candidates.stream().filter(c -> c.size() == 0 && toReadSet.contains(c.path()))
                .toList();
        List<Row> emptyFiles = emptyFiles(zeroByte, manifest, source, runId, ingestedAt);
        java.util.Set<String> zeroBytePaths = new java.util.HashSet<>(zeroByte.stream().map(NewFile::path).toList());
        toRead = toRead.stream().filter(p -> !zeroBytePaths.contains(p)).toList();
        if (toRead.isEmpty()) {
            if (!emptyFiles.isEmpty()) {
                Progress.line("ingest", "%s: %d empty file(s), 0 read", source.sourceName(), emptyFiles.size());
            }
            return new Ingested(new SourceResult(source, emptyFiles.size(), 0, 0, 0), emptyFiles);
        }
        Dataset<Row> files = spark.read().format("binaryFile").load(toRead.toArray(String[]::new))
                .select(col("path"), col("length").as("size"), col("modificationTime").as("modified_at"),
                        sha2(col("content"), 256).as("content_hash"), col("content"));
        // Touched but unchanged (same content hash): skip.
        Dataset<Row> newFiles = files.join(manifest.select(col(IngestedFiles.PATH).as("path"),
                                col(IngestedFiles.CONTENT_HASH).as("content_hash")),
                        Seqs.of("path", "content_hash"), "left_anti")
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Dataset<Row> records = newFiles.flatMap(splitter(source, maxFileBytes), Encoders.row(RECORDS_SCHEMA));
            Dataset<Row> parsed = parse(records, source).persist(StorageLevel.MEMORY_AND_DISK());
            try {
                // One small aggregate per file gives the manifest rows and the run's counts.
                List<Row> perFile = newFiles.select("path", "size", "modified_at", "content_hash")
                        .join(parsed.groupBy(col(Bronze.SOURCE_FILE).as("path")).agg(
                                        count(lit(1)).as(IngestedFiles.RECORDS),
                                        sum(when(col(REASON).isNull(), 1L).otherwise(0L)).as(IngestedFiles.WRITTEN),
                                        sum(when(col(REASON).isNotNull(), 1L).otherwise(0L)).as(IngestedFiles.QUARANTINED)),
                                Seqs.of("path"), "left")
                        .collectAsList();
                if (perFile.isEmpty()) {
                    return new Ingested(new SourceResult(source, emptyFiles.size(), 0, 0, 0), emptyFiles);
                }
                removeLeftovers(wh, source, perFile);
                List<Row> manifestRows = new ArrayList<>();
                long read = 0;
                long written = 0;
                long quarantined = 0;
                for (Row f : perFile) {
                    long r = f.isNullAt(4) ? 0 : f.getLong(4);
                    long w = f.isNullAt(5) ? 0 : f.getLong(5);
                    long q = f.isNullAt(6) ? 0 : f.getLong(6);
                    read += r;
                    written += w;
                    quarantined += q;
                    manifestRows.add(RowFactory.create(f.getString(0), f.getLong(1), f.getTimestamp(2),
                            f.getString(3), source.sourceName(), runId, ingestedAt, r, w, q));
                }
                if (written > 0) {
                    wh.append(source.bronze(), parsed.filter(col(REASON).isNull()).drop(REASON)
                            .withColumn(Bronze.INGESTED_AT, lit(ingestedAt))
                            .withColumn(Bronze.RUN_ID, lit(runId)), runId);
                }
                if (quarantined > 0) {
                    Dataset<Row> bad = parsed.filter(col(REASON).isNotNull()).select(
                            lit(runId).as(Quarantine.RUN_ID),
                            lit(source.sourceName()).as(Quarantine.SOURCE),
                            col(Bronze.SOURCE_FILE).as(Quarantine.FILE),
                            col(Bronze.FILE_HASH).as(Quarantine.FILE_HASH),
                            col(Bronze.LINE).as(Quarantine.LINE),
                            col(Bronze.RECORD_INDEX).as(Quarantine.RECORD_INDEX),
                            col(REASON).as(Quarantine.REASON),
                            col(Bronze.RAW).as(Quarantine.RAW),
                            lit(ingestedAt).as(Quarantine.QUARANTINED_AT));
                    wh.append(Quarantine.TABLE, spark.createDataFrame(bad.rdd(), Quarantine.SCHEMA), runId);
                }
                FaultPoints.reached(FaultPoints.ingestAppended(source.sourceName()));
                manifestRows.addAll(emptyFiles);
                SourceResult result = new SourceResult(source, manifestRows.size(), read, written, quarantined);
                Progress.line("ingest", "%s: %d file(s), %d read, %d written, %d quarantined",
                        source.sourceName(), result.files(), read, written, quarantined);
                return new Ingested(result, manifestRows);
            } finally {
                parsed.unpersist();
            }
        } finally {
            newFiles.unpersist();
        }
    }

    /**
     * A bronze table written before its source's schema gained fields (a field silver needs later) is re-parsed
     * once from {@code _raw} with the current schema, so old and new records carry the same columns and appends
     * of new files fit. Every other column (lineage) is kept as it was; no commit when nothing is missing.
     */
    static boolean upgradeSchema(Warehouse wh, LandingSource source, String runId) {
        if (!wh.exists(source.bronze())) {
            return false;
        }
        Dataset<Row> current = wh.read(source.bronze());
        if (covers(current.schema(), source.bronzeSchema())) {
            return false;
        }
        List<Column> out = new ArrayList<>();
        for (StructField f : source.schema().fields()) {
            out.add(col(PARSED + "." + f.name()).as(f.name()));
        }
        for (StructField f : source.bronzeSchema().fields()) {
            if (source.schema().getFieldIndex(f.name()).isEmpty()) {
                out.add(col(f.name()));
            }
        }
        Dataset<Row> reparsed = current
                .withColumn(PARSED, from_json(col(Bronze.RAW), source.schema(), Map.of("mode", "PERMISSIVE")))
                .select(out.toArray(Column[]::new));
        Progress.line("ingest", "%s: bronze schema gained fields, re-parsing stored records from %s",
                source.sourceName(), Bronze.RAW);
        wh.overwriteIfChanged(source.bronze(), reparsed, runId);
        return true;
    }

    /** Whether every field of {@code wanted} (recursively, through structs and arrays) is in {@code have}. */
    static boolean covers(DataType have, DataType wanted) {
        if (wanted instanceof StructType w) {
            if (!(have instanceof StructType h)) {
                return false;
            }
            for (StructField f : w.fields()) {
                if (h.getFieldIndex(f.name()).isEmpty()
                        || !covers(h.fields()[(Integer) h.getFieldIndex(f.name()).get()].dataType(), f.dataType())) {
                    return false;
                }
            }
            return true;
        }
        if (wanted instanceof ArrayType w) {
            return have instanceof ArrayType h && covers(h.elementType(), w.elementType());
        }
        return have.sameType(wanted);
    }

    /** SHA-256 of no bytes at all: the content hash of every empty file. */
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /** Manifest rows for the zero-byte files {@code empty} not already recorded as empty. */
    private static List<Row> emptyFiles(List<NewFile> empty, Dataset<Row> manifest, LandingSource source,
                                        String runId, Timestamp ingestedAt) {
        if (empty.isEmpty()) {
            return List.of();
        }
        List<String> recorded = manifest.filter(col(IngestedFiles.CONTENT_HASH).equalTo(EMPTY_SHA256)
                        .and(col(IngestedFiles.PATH).isin(empty.stream().map(NewFile::path).toArray())))
                .select(IngestedFiles.PATH).as(Encoders.STRING()).collectAsList();
        List<Row> rows = new ArrayList<>();
        for (NewFile f : empty) {
            if (!recorded.contains(f.path())) {
                rows.add(RowFactory.create(f.path(), 0L, new Timestamp(f.modifiedAt()), EMPTY_SHA256,
                        source.sourceName(), runId, ingestedAt, 0L, 0L, 0L));
            }
        }
        return rows;
    }

    /** A crashed run may have appended part of a file before its manifest row: take that part back out. */
    private static void removeLeftovers(Warehouse wh, LandingSource source, List<Row> fileList) {
        // One IN list on the path (which Delta can skip files with) and one on path + hash (exact): an OR of a
        // condition per file grows past what Spark can compile once a night brings a few hundred files.
        Object[] paths = fileList.stream().map(f -> f.getString(0)).distinct().toArray();
        Object[] versions = fileList.stream().map(f -> f.getString(0) + FILE_VERSION_SEPARATOR + f.getString(3))
                .toArray();
        Column inBronze = col(Bronze.SOURCE_FILE).isin(paths).and(
                concat_ws(FILE_VERSION_SEPARATOR, col(Bronze.SOURCE_FILE), col(Bronze.FILE_HASH)).isin(versions));
        Column inQuarantine = col(Quarantine.FILE).isin(paths).and(
                concat_ws(FILE_VERSION_SEPARATOR, col(Quarantine.FILE), col(Quarantine.FILE_HASH)).isin(versions));
        if (wh.exists(source.bronze()) && !wh.read(source.bronze()).filter(inBronze).isEmpty()) {
            DeltaTable.forPath(wh.spark(), wh.path(source.bronze())).delete(inBronze);
        }
        if (wh.exists(Quarantine.TABLE) && !wh.read(Quarantine.TABLE).filter(inQuarantine).isEmpty()) {
            DeltaTable.forPath(wh.spark(), wh.path(Quarantine.TABLE)).delete(inQuarantine);
        }
    }

    /** Between a path and a content hash: a character no path or hex hash contains. */
    private static final String FILE_VERSION_SEPARATOR = "\u0000";

    static FlatMapFunction<Row, Row> splitter(LandingSource source, long maxFileBytes) {
        LandingSource.Format format = source.format();
        String arrayKey = source.arrayKey();
        return row -> {
            String path = row.getString(row.fieldIndex("path"));
            String hash = row.getString(row.fieldIndex("content_hash"));
            byte[] content = row.getAs("content");
            List<Row> out = new ArrayList<>();
            if (content.length > maxFileBytes) {
                out.add(RowFactory.create(path, hash, 1L, 0L, null,
                        "file of " + content.length + " bytes exceeds ingest.max-file-bytes"));
                return out.iterator();
            }
            RecordSplitter.Decoded decoded = RecordSplitter.decodeChecked(content);
            String text = decoded.text();
            List<RecordSplitter.RawRecord> recs = switch (format) {
                case JSON_LINES -> text.stripLeading().startsWith("[")
                        ? RecordSplitter.jsonPage(text, null)
                        : RecordSplitter.jsonLines(text);
                case JSON_PAGE -> RecordSplitter.jsonPage(text, arrayKey);
                case CSV -> RecordSplitter.csv(text);
            };
            if (!decoded.utf8()) {
                recs = RecordSplitter.flagNotUtf8(recs);
            }
            for (RecordSplitter.RawRecord r : recs) {
                out.add(RowFactory.create(path, hash, r.line(), r.index(), r.raw(), r.error()));
            }
            return out.iterator();
        };
    }

    /**
     * The pure core: raw records to parsed bronze rows, each with a quarantine reason (null when good). Parsing uses
     * the source's explicit schema; unknown fields are ignored here and kept in {@code _raw}.
     */
    public static Dataset<Row> parse(Dataset<Row> records, LandingSource source) {
        StructType withCorrupt = source.schema().add(CORRUPT, DataTypes.StringType, true);
        Dataset<Row> parsed = records.withColumn(PARSED, from_json(col(Bronze.RAW), withCorrupt,
                Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT)));
        Column reason = when(col(SPLIT_ERROR).isNotNull(), col(SPLIT_ERROR))
                .when(col(Bronze.RAW).isNull().or(ltrim(col(Bronze.RAW)).startsWith("{").equalTo(false)),
                        lit("not a JSON object"))
                .when(col(PARSED).isNull().or(col(PARSED + "." + CORRUPT).isNotNull()),
                        lit("malformed JSON or a field of the wrong type"));
        for (String required : source.requiredFields()) {
            reason = reason.when(col(PARSED + "." + required).isNull(),
                    lit("missing required field " + required));
        }
        for (String ts : source.timestampFields()) {
            Column v = col(PARSED + "." + ts);
            reason = reason.when(v.isNotNull().and(Timestamps.parse(v).isNull()),
                    concat(lit("unparseable timestamp in " + ts + ": "), v));
        }
        for (FieldRule rule : source.rules()) {
            Column broken = rule.reason(col(PARSED));
            reason = reason.when(broken.isNotNull(), broken);
        }
        List<Column> out = new ArrayList<>();
        for (StructField f : source.schema().fields()) {
            out.add(col(PARSED + "." + f.name()).as(f.name()));
        }
        out.add(col(Bronze.RAW));
        out.add(col(Bronze.SOURCE_FILE));
        out.add(col(Bronze.FILE_HASH));
        out.add(col(Bronze.LINE));
        out.add(col(Bronze.RECORD_INDEX));
        out.add(reason.as(REASON));
        return parsed.select(out.toArray(Column[]::new));
    }
}
