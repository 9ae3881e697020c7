package io.supportroi.ingest;

import io.delta.tables.DeltaTable;
import io.supportroi.ops.FaultPoints;
import io.supportroi.ops.Parallel;
import io.supportroi.ops.IngestedFiles;
import io.supportroi.ops.Progress;
import io.supportroi.ops.Quarantine;
import io.supportroi.ops.Seqs;
import io.supportroi.ops.SparkWork;
import io.supportroi.ops.TableRef;
import io.supportroi.ops.Warehouse;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.AnalysisException;
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
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.ltrim;
import static org.apache.spark.sql.functions.row_number;
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
    /**
     * When the record's file was last written: the clock a record's own times are checked against ("in the
     * future"), the exporter's and not this run's, so the same file gives the same records whenever it is read.
     */
    static final String FILE_MODIFIED_AT = "_file_modified_at";

    /** Records as cut from files, before parsing. */
    public static final StructType RECORDS_SCHEMA = new StructType()
            .add(Bronze.SOURCE_FILE, DataTypes.StringType, false)
            .add(Bronze.FILE_HASH, DataTypes.StringType, false)
            .add(Bronze.LINE, DataTypes.LongType, false)
            .add(Bronze.RECORD_INDEX, DataTypes.LongType, false)
            .add(Bronze.RAW, DataTypes.StringType, true)
            .add(SPLIT_ERROR, DataTypes.StringType, true)
            .add(FILE_MODIFIED_AT, DataTypes.TimestampType, true);

    /**
     * @param files      files whose records were read this run
     * @param duplicates files skipped because their content was already ingested ({@link DuplicateFiles})
     */
    public record SourceResult(LandingSource source, long files, long duplicates, long read, long written,
                               long quarantined) {}

    /** A landing file not yet in the manifest. */
    public record NewFile(String path, long size, long modifiedAt) {}

    /**
     * @param quarantined the source's bad records, held (persisted) until the run writes every source's at once;
     *                    null when there are none
     */
    private record Ingested(SourceResult result, List<Row> manifestRows, Dataset<Row> quarantined) {}

    public static List<SourceResult> run(Warehouse wh, String landing, String runId, Timestamp ingestedAt,
                                         long maxFileBytes) {
        List<SourceResult> results = new ArrayList<>();
        List<Row> manifestRows = new ArrayList<>();
        // Filled by the sources' threads as each ends, so that the finally below releases them even when another
        // source fails.
        List<Dataset<Row>> quarantined = java.util.Collections.synchronizedList(new ArrayList<>());
        Dataset<Row> ledger = IngestedFiles.read(wh).cache();
        // Only a path's latest version counts as "seen": a file reverted to earlier content is new again.
        Dataset<Row> manifest = latestPerPath(ledger).cache();
        Dataset<Row> files = null;
        try {
            removeDeadRunsRows(wh, ledger);
            Map<LandingSource, List<NewFile>> listed = new EnumMap<>(LandingSource.class);
            List<NewFile> all = new ArrayList<>();
            for (LandingSource source : LandingSource.values()) {
                listed.put(source, listFiles(wh, landing, source));
                all.addAll(listed.get(source));
            }
            // One comparison with the manifest for every source: a night with nothing new costs one job, not one
            // per source.
            Set<String> unknown = unknownVersions(wh, all, manifest);
            Map<LandingSource, List<NewFile>> changed = new EnumMap<>(LandingSource.class);
            for (LandingSource source : LandingSource.values()) {
                List<NewFile> c = listed.get(source).stream().filter(f -> unknown.contains(f.path())).toList();
                upgradeSchema(wh, source, runId);
                if (c.isEmpty()) {
                    results.add(new SourceResult(source, 0, 0, 0, 0, 0));
                } else {
                    changed.put(source, c);
                }
            }
            // Every source's new files are read and hashed together, and the ledger asked once what it knows of
            // their contents: two Spark jobs for the night, not three per source.
            files = hashed(wh, changed);
            Map<LandingSource, List<DuplicateFiles.Candidate>> batches = candidates(wh, changed, files);
            Map<LandingSource, Map<String, String>> known = known(wh, ledger, batches);
            Dataset<Row> contents = files;
            List<java.util.concurrent.Callable<SparkWork.Scoped<Ingested>>> tasks = new ArrayList<>();
            for (LandingSource source : changed.keySet()) {
                tasks.add(() -> {
                    var scoped = SparkWork.in(wh.spark(), source.bronze().qualified(),
                            () -> ingestSource(wh, source, batches.get(source), known.get(source), contents, runId,
                                    ingestedAt, maxFileBytes));
                    if (scoped.value().quarantined() != null) {
                        quarantined.add(scoped.value().quarantined());
                    }
                    SourceResult r = scoped.value().result();
                    Progress.line("ingest", "%s: %d file(s), %d read, %d written, %d quarantined%s (%s)",
                            source.sourceName(), r.files(), r.read(), r.written(), r.quarantined(),
                            r.duplicates() == 0 ? "" : ", " + r.duplicates() + " duplicate file(s) skipped",
                            scoped.work());
                    return scoped;
                });
            }
            // Each source commits to its own bronze table only; the quarantine and the manifest are written once
            // for all sources, after them.
            List<SparkWork.Scoped<Ingested>> ingested = Parallel.run(Parallel.TABLES_AT_ONCE, tasks,
                    "ingesting sources");
            for (SparkWork.Scoped<Ingested> i : ingested) {
                results.add(i.value().result());
                manifestRows.addAll(i.value().manifestRows());
            }
            results.sort(Comparator.comparing(SourceResult::source));
            // Before the manifest, like bronze: until the manifest lands, every file of this run counts as new and
            // a crash in between leaves rows the next run removes by their run id.
            if (!quarantined.isEmpty()) {
                wh.append(Quarantine.TABLE, quarantined.stream().reduce(Dataset::unionByName).orElseThrow(), runId);
            }
        } finally {
            if (files != null) {
                files.unpersist();
            }
            quarantined.forEach(Dataset::unpersist);
            manifest.unpersist();
            ledger.unpersist();
        }
        // The manifest is written last and in one commit: until it lands, every file of this run counts as new.
        // mergeSchema: a manifest written before duplicates were recorded gains the column.
        if (!manifestRows.isEmpty()) {
            wh.append(IngestedFiles.TABLE, wh.spark().createDataFrame(manifestRows, IngestedFiles.SCHEMA), runId,
                    true);
        }
        return results;
    }

    static Dataset<Row> latestPerPath(Dataset<Row> manifest) {
        var w = Window.partitionBy(IngestedFiles.PATH)
                .orderBy(col(IngestedFiles.INGESTED_AT).desc(), col(IngestedFiles.RUN_ID).desc());
        return manifest.withColumn("_rn", row_number().over(w))
                .filter(col("_rn").equalTo(1)).drop("_rn");
    }

    static List<NewFile> listFiles(Warehouse wh, String landing, LandingSource source) {
        List<NewFile> out = new ArrayList<>();
        try {
            Path given = new Path(landing, source.dir());
            FileSystem fs = given.getFileSystem(wh.spark().sparkContext().hadoopConfiguration());
            // Qualified like the listed files' paths, so that hidden() stops at the source folder.
            Path dir = fs.makeQualified(given);
            if (!fs.exists(dir)) {
                return out;
            }
            boolean recursive = !source.isSnapshot();
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, recursive);
            while (it.hasNext()) {
                LocatedFileStatus st = it.next();
                if (!source.accepts(st.getPath().getName()) || hidden(dir, st.getPath())) {
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

    /**
     * A file is still being written, or is not the producer's to give, when its name or any folder between it and
     * the source's folder starts with "." or "_" (a writer's staging folder, Spark's _temporary, .git).
     */
    static boolean hidden(Path sourceDir, Path file) {
        String root = Path.getPathWithoutSchemeAndAuthority(sourceDir).toString();
        for (Path p = Path.getPathWithoutSchemeAndAuthority(file); p != null && !p.toString().equals(root);
             p = p.getParent()) {
            if (p.getName().startsWith(".") || p.getName().startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The bytes and content hash of every non-empty new file of the night, held (persisted) for the sources to cut
     * into records; null when there are none. Spark's file sources skip zero-byte files, and their content needs no
     * reading: {@link #candidates} hashes them itself.
     */
    private static Dataset<Row> hashed(Warehouse wh, Map<LandingSource, List<NewFile>> changed) {
        List<String> nonEmpty = changed.values().stream().flatMap(List::stream).filter(f -> f.size() > 0)
                .map(NewFile::path).toList();
        if (nonEmpty.isEmpty()) {
            return null;
        }
        return contents(wh, nonEmpty)
                .select(col(BINARY_PATH).as(IngestedFiles.PATH), col(BINARY_LENGTH).as(IngestedFiles.SIZE),
                        col(BINARY_MODIFIED).as(IngestedFiles.MODIFIED_AT),
                        sha2(col(BINARY_CONTENT), 256).as(IngestedFiles.CONTENT_HASH), col(BINARY_CONTENT))
                .persist(StorageLevel.MEMORY_AND_DISK());
    }

    /**
     * Per source, its new files with their content identity, those that changed while they were read left out
     * ({@link #settled}). One Spark job for all sources.
     */
    private static Map<LandingSource, List<DuplicateFiles.Candidate>> candidates(
            Warehouse wh, Map<LandingSource, List<NewFile>> changed, Dataset<Row> files) {
        Map<String, DuplicateFiles.Candidate> read = new HashMap<>();
        if (files != null) {
            for (Row r : files.select(IngestedFiles.PATH, IngestedFiles.SIZE, IngestedFiles.MODIFIED_AT,
                    IngestedFiles.CONTENT_HASH).collectAsList()) {
                read.put(r.getString(0), new DuplicateFiles.Candidate(r.getString(0), r.getLong(1),
                        r.getTimestamp(2).getTime(), r.getString(3)));
            }
        }
        Map<LandingSource, List<DuplicateFiles.Candidate>> out = new EnumMap<>(LandingSource.class);
        changed.forEach((source, listed) -> {
            List<DuplicateFiles.Candidate> batch = new ArrayList<>();
            for (NewFile f : listed) {
                if (f.size() == 0) {
                    batch.add(new DuplicateFiles.Candidate(f.path(), 0, f.modifiedAt(), EMPTY_SHA256));
                } else if (read.containsKey(f.path())) {
                    batch.add(read.get(f.path()));
                }
            }
            out.put(source, settled(wh, source, listed, batch));
        });
        return out;
    }

    /**
     * @param batch the source's new files, hashed and settled
     * @param known what the ledger knows of their contents ({@link #known})
     * @param files the night's file contents ({@link #hashed})
     */
    private static Ingested ingestSource(Warehouse wh, LandingSource source, List<DuplicateFiles.Candidate> batch,
                                         Map<String, String> known, Dataset<Row> files, String runId,
                                         Timestamp ingestedAt, long maxFileBytes) {
        List<DuplicateFiles.Decision> decisions = DuplicateFiles.classify(batch, known);
        List<String> toRead = decisions.stream().filter(d -> d.isNew() && d.file().size() > 0)
                .map(d -> d.file().path()).toList();
        Read read = toRead.isEmpty() ? new Read(Map.of(), null)
                : readIntoBronze(wh, source, files, toRead, runId, ingestedAt, maxFileBytes);
        Map<String, long[]> counts = read.counts();
        List<Row> manifestRows = new ArrayList<>();
        long records = 0;
        long written = 0;
        long quarantined = 0;
        long duplicates = 0;
        for (DuplicateFiles.Decision d : decisions) {
            long[] c = counts.getOrDefault(d.file().path(), new long[3]);
            records += c[0];
            written += c[1];
            quarantined += c[2];
            duplicates += d.isNew() ? 0 : 1;
            manifestRows.add(RowFactory.create(d.file().path(), d.file().size(),
                    new Timestamp(d.file().modifiedAt()), d.file().hash(), source.sourceName(), runId,
                    ingestedAt, c[0], c[1], c[2], d.duplicateOf()));
        }
        SourceResult result = new SourceResult(source, decisions.size() - duplicates, duplicates, records,
                written, quarantined);
        return new Ingested(result, manifestRows, read.quarantined());
    }

    /** Characters Hadoop reads as a glob in a path given to Spark's file sources. */
    private static final Pattern GLOB_CHARACTERS = Pattern.compile("([\\\\{}\\[\\]*?])");

    /** How many times the listing is narrowed to the files still there when one vanishes before Spark opens it. */
    private static final int VANISHED_RETRIES = 3;

    /**
     * The bytes of the listed files. A name is taken literally ("orders[1].json" is a file, not a glob). A file
     * removed since the listing is not this run's to read, nor an error: it is left out (Spark checks that every
     * path exists before it reads, and ignoreMissingFiles covers a file that goes while it reads).
     */
    static Dataset<Row> contents(Warehouse wh, List<String> paths) {
        List<String> present = paths;
        for (int attempt = 0; ; attempt++) {
            try {
                return wh.spark().read().format("binaryFile").option("ignoreMissingFiles", "true")
                        .load(present.stream().map(BronzeIngest::literal).toArray(String[]::new));
            } catch (Exception e) {
                // Spark's AnalysisException (PATH_NOT_FOUND) is checked and thrown undeclared.
                if (!(e instanceof AnalysisException) || attempt == VANISHED_RETRIES) {
                    throw e;
                }
                present = stillThere(wh, present);
                if (present.isEmpty()) {
                    return wh.spark().createDataFrame(List.of(), BINARY_FILE_SCHEMA);
                }
            }
        }
    }

    /** The columns of Spark's binaryFile source. */
    private static final String BINARY_PATH = "path";
    private static final String BINARY_MODIFIED = "modificationTime";
    private static final String BINARY_LENGTH = "length";
    private static final String BINARY_CONTENT = "content";

    /** What Spark's binaryFile source gives, for a read of no file at all. */
    private static final StructType BINARY_FILE_SCHEMA = new StructType()
            .add(BINARY_PATH, DataTypes.StringType).add(BINARY_MODIFIED, DataTypes.TimestampType)
            .add(BINARY_LENGTH, DataTypes.LongType).add(BINARY_CONTENT, DataTypes.BinaryType);

    private static List<String> stillThere(Warehouse wh, List<String> paths) {
        List<String> out = new ArrayList<>();
        for (String path : paths) {
            if (status(wh, new Path(path)) != null) {
                out.add(path);
            }
        }
        return out;
    }

    static String literal(String path) {
        return GLOB_CHARACTERS.matcher(path).replaceAll("\\\\$1");
    }

    /** The file's status now, or null when it is gone (also when it goes between two calls). */
    private static FileStatus status(Warehouse wh, Path p) {
        try {
            return p.getFileSystem(wh.spark().sparkContext().hadoopConfiguration()).getFileStatus(p);
        } catch (FileNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check landing file " + p, e);
        }
    }

    /**
     * The files that did not change while this run read them. A file whose size or modification time moved between
     * the listing, the read and now is still being written (a producer that writes in place rather than renaming a
     * finished file into the folder): it is left for the next run instead of being ingested cut off.
     */
    static List<DuplicateFiles.Candidate> settled(Warehouse wh, LandingSource source, List<NewFile> listed,
                                                  List<DuplicateFiles.Candidate> read) {
        Map<String, NewFile> byPath = new HashMap<>();
        listed.forEach(f -> byPath.put(f.path(), f));
        List<DuplicateFiles.Candidate> out = new ArrayList<>();
        for (DuplicateFiles.Candidate c : read) {
            NewFile l = byPath.get(c.path());
            FileStatus now = status(wh, new Path(c.path()));
            if (l != null && now != null && l.size() == c.size() && l.modifiedAt() == c.modifiedAt()
                    && now.getLen() == c.size() && now.getModificationTime() == c.modifiedAt()) {
                out.add(c);
            } else {
                Progress.line("ingest", "%s: %s changed or went while it was read (still being written?): left "
                        + "for the next run", source.sourceName(), c.path());
            }
        }
        return out;
    }

    /**
     * The paths of the candidates whose path, size and modification time match no manifest entry: the others are
     * unchanged.
     */
    private static Set<String> unknownVersions(Warehouse wh, List<NewFile> candidates, Dataset<Row> manifest) {
        if (candidates.isEmpty()) {
            return Set.of();
        }
        List<Row> candidateRows = candidates.stream()
                .map(f -> RowFactory.create(f.path(), f.size(), new Timestamp(f.modifiedAt()))).toList();
        StructType candidateSchema = new StructType(new StructField[] {IngestedFiles.SCHEMA.apply(IngestedFiles.PATH),
                IngestedFiles.SCHEMA.apply(IngestedFiles.SIZE), IngestedFiles.SCHEMA.apply(IngestedFiles.MODIFIED_AT)});
        Dataset<Row> known = manifest.select(IngestedFiles.PATH, IngestedFiles.SIZE, IngestedFiles.MODIFIED_AT);
        Set<String> unknown = new HashSet<>(wh.spark().createDataFrame(candidateRows, candidateSchema)
                .join(known, Seqs.of(IngestedFiles.PATH, IngestedFiles.SIZE, IngestedFiles.MODIFIED_AT), "left_anti")
                .select(IngestedFiles.PATH).as(Encoders.STRING()).collectAsList());
        return unknown;
    }

    /**
     * What the ledger knows of the contents of each source's batch: content key → the file that brought it, for the
     * contents that count as ingested (any content of the source ever ingested, or for a snapshot source only the
     * current snapshot's). One Spark job for every source; what it collects grows with the night's files, not
     * with the ledger.
     */
    private static Map<LandingSource, Map<String, String>> known(
            Warehouse wh, Dataset<Row> ledger, Map<LandingSource, List<DuplicateFiles.Candidate>> batches) {
        List<Row> wanted = new ArrayList<>();
        List<String> snapshots = new ArrayList<>();
        batches.forEach((source, batch) -> {
            if (source.isSnapshot()) {
                snapshots.add(source.sourceName());
            } else {
                batch.stream().map(DuplicateFiles.Candidate::hash).distinct()
                        .forEach(h -> wanted.add(RowFactory.create(source.sourceName(), h)));
            }
        });
        Map<LandingSource, Map<String, String>> out = new EnumMap<>(LandingSource.class);
        Map<String, LandingSource> byName = new HashMap<>();
        batches.keySet().forEach(s -> {
            out.put(s, new HashMap<>());
            byName.put(s.sourceName(), s);
        });
        if (wanted.isEmpty() && snapshots.isEmpty()) {
            return out;
        }
        StructType wantedSchema = new StructType(new StructField[] {IngestedFiles.SCHEMA.apply(IngestedFiles.SOURCE),
                IngestedFiles.SCHEMA.apply(IngestedFiles.CONTENT_HASH)});
        Dataset<Row> sameContent = ledger.join(wh.spark().createDataFrame(wanted, wantedSchema),
                Seqs.of(IngestedFiles.SOURCE, IngestedFiles.CONTENT_HASH), "left_semi");
        var newestFirst = Window.partitionBy(IngestedFiles.SOURCE).orderBy(col(IngestedFiles.INGESTED_AT).desc(),
                col(IngestedFiles.RUN_ID).desc(), col(IngestedFiles.PATH).desc());
        Dataset<Row> counted = snapshots.isEmpty() ? sameContent : sameContent.unionByName(ledger
                .filter(col(IngestedFiles.SOURCE).isin(snapshots.toArray()))
                .withColumn("_newest", row_number().over(newestFirst))
                .filter(col("_newest").equalTo(1)).drop("_newest"));
        List<Row> rows = new ArrayList<>(counted
                .select(col(IngestedFiles.SOURCE), col(IngestedFiles.PATH), col(IngestedFiles.SIZE),
                        col(IngestedFiles.CONTENT_HASH),
                        coalesce(col(IngestedFiles.DUPLICATE_OF), col(IngestedFiles.PATH)),
                        col(IngestedFiles.INGESTED_AT), col(IngestedFiles.RUN_ID))
                .collectAsList());
        // Oldest first, on the driver (a sort in Spark is a job of its own): a content recorded more than once (a
        // revert, or a manifest from before duplicates were recorded) belongs to the file that brought it first.
        rows.sort(Comparator.<Row, Timestamp>comparing(r -> r.getTimestamp(5), NULLS_FIRST_TIME)
                .thenComparing(r -> r.getString(6), NULLS_FIRST_TEXT)
                .thenComparing(r -> r.getString(1), NULLS_FIRST_TEXT));
        for (Row r : rows) {
            out.get(byName.get(r.getString(0)))
                    .putIfAbsent(DuplicateFiles.contentKey(r.getLong(2), r.getString(3)), r.getString(4));
        }
        return out;
    }

    /** Spark's ascending order, which puts nulls first. */
    private static final Comparator<Timestamp> NULLS_FIRST_TIME =
            Comparator.nullsFirst(Comparator.naturalOrder());
    private static final Comparator<String> NULLS_FIRST_TEXT =
            Comparator.nullsFirst(Comparator.naturalOrder());

    /**
     * @param counts      per file: read, written, quarantined
     * @param quarantined the bad records as quarantine rows, persisted; null when there are none
     */
    private record Read(Map<String, long[]> counts, Dataset<Row> quarantined) {}

    /**
     * Cuts the files {@code toRead} into records and appends the good ones to bronze; the bad ones are returned held,
     * for the run to write to the quarantine together with every other source's.
     */
    private static Read readIntoBronze(Warehouse wh, LandingSource source, Dataset<Row> files, List<String> toRead,
                                       String runId, Timestamp ingestedAt, long maxFileBytes) {
        // A filter, not a join: a join with the list of paths is a broadcast, a Spark job of its own.
        Dataset<Row> selected = files.filter(col(IngestedFiles.PATH).isin(toRead.toArray()));
        Dataset<Row> records = selected.flatMap(splitter(source, maxFileBytes), Encoders.row(RECORDS_SCHEMA));
        Dataset<Row> parsed = parse(records, source).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            // One small aggregate per file gives the manifest rows and the run's counts.
            Map<String, long[]> counts = new HashMap<>();
            for (Row f : parsed.groupBy(col(Bronze.SOURCE_FILE)).agg(
                            count(lit(1)),
                            sum(when(col(REASON).isNull(), 1L).otherwise(0L)),
                            sum(when(col(REASON).isNotNull(), 1L).otherwise(0L)))
                    .collectAsList()) {
                counts.put(f.getString(0), new long[] {f.getLong(1), f.getLong(2), f.getLong(3)});
            }
            long written = counts.values().stream().mapToLong(c -> c[1]).sum();
            long quarantined = counts.values().stream().mapToLong(c -> c[2]).sum();
            if (written > 0) {
                wh.append(source.bronze(), parsed.filter(col(REASON).isNull()).drop(REASON)
                        .withColumn(Bronze.INGESTED_AT, lit(ingestedAt))
                        .withColumn(Bronze.RUN_ID, lit(runId)), runId);
            }
            Dataset<Row> bad = null;
            if (quarantined > 0) {
                bad = parsed.filter(col(REASON).isNotNull()).select(
                        lit(runId).as(Quarantine.RUN_ID),
                        lit(source.sourceName()).as(Quarantine.SOURCE),
                        col(Bronze.SOURCE_FILE).as(Quarantine.FILE),
                        col(Bronze.FILE_HASH).as(Quarantine.FILE_HASH),
                        col(Bronze.LINE).as(Quarantine.LINE),
                        col(Bronze.RECORD_INDEX).as(Quarantine.RECORD_INDEX),
                        col(REASON).as(Quarantine.REASON),
                        col(Bronze.RAW).as(Quarantine.RAW),
                        lit(ingestedAt).as(Quarantine.QUARANTINED_AT));
                // Held apart from the parsed records, which are released below: a source's bad records are few.
                bad = wh.spark().createDataFrame(bad.rdd(), Quarantine.SCHEMA).persist(StorageLevel.MEMORY_AND_DISK());
                bad.count();
            }
            FaultPoints.reached(FaultPoints.ingestAppended(source.sourceName()));
            return new Read(counts, bad);
        } finally {
            parsed.unpersist();
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
        // From the log's checksum file when there is one: this runs for every source each night.
        StructType stored = wh.schemaFromLog(source.bronze());
        if (covers(stored != null ? stored : wh.read(source.bronze()).schema(), source.bronzeSchema())) {
            return false;
        }
        Dataset<Row> current = wh.read(source.bronze());
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

    /**
     * How many of a table's latest commits are searched for a dead run's appends. Every run removes what a dead run
     * left before it appends anything, so a dead run's commits are among the last few; a run adds at most two
     * commits to a table (a schema upgrade, an append).
     */
    private static final int DEAD_RUN_LOOKBACK = 50;

    /**
     * A run appends to bronze and the quarantine before its ledger rows, in one commit, say the files are in. A run
     * that died in between left rows no ledger row accounts for, whatever became of their files since (read again,
     * changed, moved or deleted): they are taken out before anything else is appended. Found from the tables'
     * latest commits (each tagged with its run id), not by scanning their rows.
     */
    static void removeDeadRunsRows(Warehouse wh, Dataset<Row> ledger) {
        if (nothingWrittenAfterManifest(wh)) {
            return;
        }
        Set<String> recorded = new HashSet<>(ledger.select(IngestedFiles.RUN_ID).distinct()
                .as(Encoders.STRING()).collectAsList());
        for (LandingSource source : LandingSource.values()) {
            removeRowsOfRuns(wh, source.bronze().qualified(), wh.path(source.bronze()), Bronze.RUN_ID,
                    deadRuns(wh, wh.path(source.bronze()), recorded));
        }
        removeRowsOfRuns(wh, Quarantine.TABLE.qualified(), wh.path(Quarantine.TABLE), Quarantine.RUN_ID,
                deadRuns(wh, wh.path(Quarantine.TABLE), recorded));
    }

    /**
     * Whether no bronze or quarantine commit is newer than the manifest's newest. A run removes what dead runs left
     * before it appends, and records its files in the manifest after its appends: rows of a dead run are then
     * impossible, and the history of every table need not be read (a Spark job each) to find none.
     */
    static boolean nothingWrittenAfterManifest(Warehouse wh) {
        List<TableRef> appendedTo = new ArrayList<>();
        for (LandingSource source : LandingSource.values()) {
            appendedTo.add(source.bronze());
        }
        appendedTo.add(Quarantine.TABLE);
        // Only a run's own append says its appends landed: a DELETE or any other change to the manifest since
        // (a repair by hand, a compaction) may have taken rows back out.
        return wh.exists(IngestedFiles.TABLE) ? wh.writtenAfterAll(IngestedFiles.TABLE, appendedTo)
                : appendedTo.stream().noneMatch(wh::exists);
    }

    /** The run ids of appends among a table's latest commits that the ledger does not name. */
    private static List<String> deadRuns(Warehouse wh, String tablePath, Set<String> recorded) {
        if (wh.lastCommit(tablePath) == null) {
            return List.of();
        }
        return DeltaTable.forPath(wh.spark(), tablePath).history(DEAD_RUN_LOOKBACK)
                // Appends only: a schema upgrade rewrites the table (an overwrite) but adds no rows of its run.
                .filter(col("operation").equalTo("WRITE").and(col("operationParameters").getItem("mode")
                        .equalTo("Append")).and(col("userMetadata").isNotNull()))
                .select("userMetadata").distinct().as(Encoders.STRING()).collectAsList().stream()
                .filter(run -> !recorded.contains(run)).sorted().toList();
    }

    private static void removeRowsOfRuns(Warehouse wh, String table, String tablePath, String runColumn,
                                         List<String> runs) {
        if (runs.isEmpty()) {
            return;
        }
        Column ofDeadRuns = col(runColumn).isin(runs.toArray());
        // Every file a run wrote holds only its run id: Delta skips the rest by their statistics.
        if (!wh.spark().read().format("delta").load(tablePath).filter(ofDeadRuns).isEmpty()) {
            Progress.line("ingest", "%s: removing the rows of run(s) %s, which died before recording their files",
                    table, String.join(", ", runs));
            DeltaTable.forPath(wh.spark(), tablePath).delete(ofDeadRuns);
            SparkWork.committed(wh.spark());
        }
    }

    static FlatMapFunction<Row, Row> splitter(LandingSource source, long maxFileBytes) {
        LandingSource.Format format = source.format();
        String arrayKey = source.arrayKey();
        return row -> {
            String path = row.getString(row.fieldIndex(IngestedFiles.PATH));
            String hash = row.getString(row.fieldIndex(IngestedFiles.CONTENT_HASH));
            Timestamp modifiedAt = row.getTimestamp(row.fieldIndex(IngestedFiles.MODIFIED_AT));
            byte[] content = row.getAs(BINARY_CONTENT);
            List<Row> out = new ArrayList<>();
            if (content.length > maxFileBytes) {
                out.add(RowFactory.create(path, hash, 1L, 0L, null,
                        "file of " + content.length + " bytes exceeds ingest.max-file-bytes", modifiedAt));
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
                out.add(RowFactory.create(path, hash, r.line(), r.index(), r.raw(), r.error(), modifiedAt));
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
