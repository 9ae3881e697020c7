package io.supportroi.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

/**
 * The Delta warehouse on any Hadoop file system: where tables live and the few ways the pipeline writes them.
 * Every write that could be a no-op checks first, so a re-run over unchanged inputs makes no Delta commit.
 */
public final class Warehouse {
    private final SparkSession spark;
    private final String root;

    public Warehouse(SparkSession spark, String root) {
        this.spark = spark;
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    public SparkSession spark() {
        return spark;
    }

    public String root() {
        return root;
    }

    public String path(TableRef table) {
        return root + "/" + table.layer().dir() + "/" + table.name();
    }

    public boolean exists(TableRef table) {
        return lastCommit(path(table)) != null;
    }

    /** A table's newest commit: its version, and when its log entry was written (the file system's clock). */
    public record Commit(long version, long writtenAt) {}

    /**
     * The newest commit of the Delta table at {@code tablePath}, or null when there is none (no table). Read from
     * the names of its log's entries ({@code _delta_log/<version>.json}, Delta's protocol) in one listing: asking
     * Delta would load the table's snapshot, a Spark job per table, which is most of what a run that finds nothing
     * new would cost.
     */
    public Commit lastCommit(String tablePath) {
        try {
            Path log = new Path(tablePath, "_delta_log");
            FileStatus[] entries;
            try {
                entries = log.getFileSystem(spark.sparkContext().hadoopConfiguration()).listStatus(log);
            } catch (FileNotFoundException e) {
                return null;
            }
            Commit newest = null;
            for (FileStatus f : entries) {
                Matcher m = COMMIT_FILE.matcher(f.getPath().getName());
                if (m.matches()) {
                    long version = Long.parseLong(m.group(1));
                    if (newest == null || version > newest.version()) {
                        newest = new Commit(version, f.getModificationTime());
                    }
                }
            }
            return newest;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the Delta log of " + tablePath, e);
        }
    }

    /**
     * Whether {@code record}'s newest commit is a plain WRITE (the pipeline's own append or overwrite, not a DELETE
     * or a MERGE by hand) and no commit of {@code others} is as new: then nothing has changed them since the record
     * was written. Read from their logs' listings and one log entry, without Spark. False when {@code record} has
     * no commit.
     */
    public boolean writtenAfterAll(TableRef record, List<TableRef> others) {
        Commit last = lastCommit(path(record));
        if (last == null || !"WRITE".equals(lastOperation(path(record)))) {
            return false;
        }
        for (TableRef t : others) {
            Commit c = lastCommit(path(t));
            if (c != null && c.writtenAt() >= last.writtenAt()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The operation of a table's newest commit as its log entry records it (WRITE, MERGE, DELETE, ...), or null when
     * the table has none or the entry says nothing. Read from that one file, without Spark.
     */
    public String lastOperation(String tablePath) {
        JsonNode info = lastEntry(tablePath, "commitInfo");
        return info == null || !info.hasNonNull("operation") ? null : info.get("operation").asText();
    }

    /**
     * The table's schema from the checksum file Delta writes beside its newest commit, without loading a snapshot;
     * null when there is no such file (then ask Delta).
     */
    public StructType schemaFromLog(TableRef table) {
        Commit last = lastCommit(path(table));
        if (last == null) {
            return null;
        }
        JsonNode crc = readJson(new Path(path(table) + "/_delta_log", String.format("%020d.crc", last.version())));
        JsonNode schema = crc == null ? null : crc.path("metadata").get("schemaString");
        return schema == null ? null : (StructType) DataType.fromJson(schema.asText());
    }

    /**
     * The rows a table's first commit wrote ({@link #create}), as Delta's commit metrics record them in the log
     * entry, read without Spark; -1 when the entry records none (commit metrics turned off with
     * {@code spark.databricks.delta.history.metricsEnabled}) or is gone (log cleanup, long after the create).
     */
    long rowsCreated(TableRef table) {
        JsonNode info = entry(path(table), 0, "commitInfo");
        JsonNode rows = info == null ? null : info.path("operationMetrics").get("numOutputRows");
        return rows != null && rows.asText().matches("\\d+") ? Long.parseLong(rows.asText()) : -1;
    }

    private JsonNode lastEntry(String tablePath, String action) {
        Commit last = lastCommit(tablePath);
        return last == null ? null : entry(tablePath, last.version(), action);
    }

    /** The {@code action} of the table's log entry for {@code version}, or null when the entry has none. */
    private JsonNode entry(String tablePath, long version, String action) {
        Path entry = new Path(tablePath + "/_delta_log", String.format("%020d.json", version));
        try (var in = entry.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(entry);
             var lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                JsonNode node = JSON.readTree(line);
                if (node != null && node.has(action)) {
                    return node.get(action);
                }
            }
            return null;
        } catch (FileNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + entry, e);
        }
    }

    private JsonNode readJson(Path file) {
        try (var in = file.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(file)) {
            return JSON.readTree(in);
        } catch (FileNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Pattern COMMIT_FILE = Pattern.compile("(\\d{20})\\.json");

    public Dataset<Row> read(TableRef table) {
        return spark.read().format("delta").load(path(table));
    }

    /** The table, or an empty frame of the given schema when it has never been written. */
    public Dataset<Row> readOrEmpty(TableRef table, StructType schema) {
        return exists(table) ? read(table) : spark.createDataFrame(List.of(), schema);
    }

    public void append(TableRef table, Dataset<Row> rows, String runId) {
        append(table, rows, runId, false);
    }

    /** @param mergeSchema let the append add columns the table does not have yet */
    public void append(TableRef table, Dataset<Row> rows, String runId, boolean mergeSchema) {
        SparkSessions.inSmallDataPartitions(rows).write().format("delta").mode("append")
                .option("userMetadata", runId)
                .option("mergeSchema", Boolean.toString(mergeSchema))
                .save(path(table));
        SparkWork.committed(spark);
    }

    /**
     * Replaces the table's content when it differs from {@code rows}; returns whether it wrote. Used for gold
     * tables, which are small: comparing is cheaper than a commit that changes nothing.
     */
    public boolean overwriteIfChanged(TableRef table, Dataset<Row> rows, String runId) {
        if (!exists(table)) {
            create(table, rows, runId);
            return true;
        }
        Dataset<Row> current = read(table);
        if (sameSchema(current.schema(), rows.schema()) && sameRows(current, rows)) {
            return false;
        }
        SparkSessions.inSmallDataPartitions(rows).write().format("delta").mode("overwrite")
                .option("overwriteSchema", "true")
                .option("userMetadata", runId)
                .save(path(table));
        SparkWork.committed(spark);
        return true;
    }

    /**
     * A table's first commit. Not an overwrite: Delta's overwrite first looks for the files it replaces, a Spark job
     * over the (empty) table even when there is none, and every silver and gold table of a first run is new (28 of
     * a fixture night's 231 jobs, the input records included). Not an append either, which would add its rows to a
     * table that appeared since {@link #exists} said it had not: this fails then.
     */
    private void create(TableRef table, Dataset<Row> rows, String runId) {
        SparkSessions.inSmallDataPartitions(rows).write().format("delta").mode("errorifexists")
                .option("userMetadata", runId).save(path(table));
        SparkWork.committed(spark);
    }

    /**
     * Brings a MERGE-maintained table to exactly {@code source}: inserts new keys, updates rows whose values
     * changed, deletes keys that are gone. Returns the number of rows that changed; zero changes, no commit.
     *
     * <p>The changed rows are found once, by one full outer join of source and table, and only they are MERGEd:
     * on a night that changes a few rows of a large table, the MERGE joins a small frame (broadcast) instead of
     * joining the whole rebuilt table again to find the keys that are gone.
     */
    public long mergeByKey(TableRef table, Dataset<Row> source, List<String> keys, String runId) {
        if (!exists(table)) {
            create(table, source, runId);
            // Every row is new: the count the commit recorded, else one over the source, which callers hold cached
            // (a count of the new table would replay its log first).
            long written = rowsCreated(table);
            return written >= 0 ? written : source.count();
        }
        Dataset<Row> target = read(table);
        List<String> valueCols = new ArrayList<>(Arrays.asList(source.columns()));
        valueCols.removeAll(keys);
        Column anyDiffers = null;
        for (String c : valueCols) {
            Column d = not(col("t." + c).eqNullSafe(col("s." + c)));
            anyDiffers = anyDiffers == null ? d : anyDiffers.or(d);
        }
        Column differs = anyDiffers;
        Column gone = col("s." + keys.get(0)).isNull();
        Column missing = col("t." + keys.get(0)).isNull().or(gone);
        List<Column> changedCols = new ArrayList<>();
        for (String c : source.columns()) {
            changedCols.add(keys.contains(c) ? coalesce(col("s." + c), col("t." + c)).as(c) : col("s." + c).as(c));
        }
        changedCols.add(gone.as(GONE));
        Dataset<Row> changedRows = source.as("s").join(target.as("t"), on("s", "t", keys), "full_outer")
                .filter(differs == null ? missing : missing.or(differs))
                .select(changedCols.toArray(Column[]::new))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long changed = changedRows.count();
            if (changed == 0) {
                return 0;
            }
            Column nullKey = null;
            for (String k : keys) {
                nullKey = nullKey == null ? col(k).isNull() : nullKey.or(col(k).isNull());
            }
            // A null key matches nothing, so a changed-rows MERGE could not delete it; the whole-table MERGE can.
            boolean nullKeys = !changedRows.filter(nullKey).isEmpty();
            Map<String, Column> set = new LinkedHashMap<>();
            for (String c : source.columns()) {
                set.put(c, col("s." + c));
            }
            withCommitMetadata(runId, () -> {
                if (nullKeys) {
                    var merge = DeltaTable.forPath(spark, path(table)).as("t").merge(source.as("s"),
                            on("s", "t", keys));
                    merge = differs == null ? merge : merge.whenMatched(differs).update(set);
                    merge.whenNotMatched().insert(set).whenNotMatchedBySource().delete().execute();
                } else {
                    DeltaTable.forPath(spark, path(table)).as("t").merge(changedRows.as("s"), on("s", "t", keys))
                            .whenMatched(col("s." + GONE)).delete()
                            .whenMatched().update(set)
                            .whenNotMatched(not(col("s." + GONE))).insert(set)
                            .execute();
                }
            });
            SparkWork.committed(spark);
            return changed;
        } finally {
            changedRows.unpersist();
        }
    }

    /** Marks a changed row whose key is no longer in the source. */
    private static final String GONE = "_gone";

    private static Column on(String left, String right, List<String> keys) {
        Column on = null;
        for (String k : keys) {
            Column eq = col(left + "." + k).equalTo(col(right + "." + k));
            on = on == null ? eq : on.and(eq);
        }
        return on;
    }

    /**
     * Delta's MERGE takes no write options: its commit's user metadata is a session setting. Tables merged at once
     * (silver's phases) share it, so it is set by the first and restored by the last; a MERGE for another run id
     * waits until they are done.
     */
    private void withCommitMetadata(String runId, Runnable commit) {
        synchronized (METADATA_LOCK) {
            while (metadataHolders > 0 && !runId.equals(metadataRunId)) {
                try {
                    METADATA_LOCK.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting to commit", e);
                }
            }
            if (metadataHolders++ == 0) {
                metadataRunId = runId;
                metadataBefore = spark.conf().get(COMMIT_METADATA, null);
                spark.conf().set(COMMIT_METADATA, runId);
            }
        }
        try {
            commit.run();
        } finally {
            synchronized (METADATA_LOCK) {
                if (--metadataHolders == 0) {
                    if (metadataBefore == null) {
                        spark.conf().unset(COMMIT_METADATA);
                    } else {
                        spark.conf().set(COMMIT_METADATA, metadataBefore);
                    }
                    metadataRunId = null;
                    METADATA_LOCK.notifyAll();
                }
            }
        }
    }

    private static final String COMMIT_METADATA = "spark.databricks.delta.commitInfo.userMetadata";
    private static final Object METADATA_LOCK = new Object();
    private static int metadataHolders;
    private static String metadataRunId;
    private static String metadataBefore;

    public long latestVersion(TableRef table) {
        Commit last = lastCommit(path(table));
        if (last == null) {
            throw new IllegalStateException(table + " is not a Delta table (no commit under " + path(table) + ")");
        }
        return last.version();
    }

    /** Lists the tables that exist under the warehouse, layer by layer. */
    public List<TableRef> listTables() {
        List<TableRef> out = new ArrayList<>();
        try {
            FileSystem fs = fileSystem();
            for (Layer layer : Layer.values()) {
                Path dir = new Path(root + "/" + layer.dir());
                if (!fs.exists(dir)) {
                    continue;
                }
                var statuses = fs.listStatus(dir);
                Arrays.sort(statuses);
                for (var st : statuses) {
                    if (st.isDirectory() && fs.exists(new Path(st.getPath(), "_delta_log"))) {
                        out.add(new TableRef(layer, st.getPath().getName()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public FileSystem fileSystem() throws IOException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        return new Path(root).getFileSystem(conf);
    }

    /** The same column names and types in the same order; nullability aside (Delta stores every column nullable). */
    public static boolean sameSchema(StructType a, StructType b) {
        return Arrays.equals(a.fieldNames(), b.fieldNames())
                && Arrays.equals(
                        Arrays.stream(a.fields()).map(f -> f.dataType().sql()).toArray(),
                        Arrays.stream(b.fields()).map(f -> f.dataType().sql()).toArray());
    }

    private static boolean sameRows(Dataset<Row> a, Dataset<Row> b) {
        return a.exceptAll(b).isEmpty() && b.exceptAll(a).isEmpty();
    }
}
