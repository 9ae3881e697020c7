package io.supportroi.ops;

import io.supportroi.config.BadInput;
import io.supportroi.config.Settings;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.util.CollationSupport;
import org.apache.spark.unsafe.types.UTF8String;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The one place a SparkSession is configured: Delta, UTC, quiet logs, master only when nobody else chose one. */
public final class SparkSessions {
    private SparkSessions() {}

    private static final Logger LOG = LoggerFactory.getLogger(SparkSessions.class);

    private static final String[] NOISY_LOGGERS = {
            "org.apache.spark", "org.apache.hadoop", "org.sparkproject", "io.delta", "org.apache.parquet",
            "org.apache.kafka", "org.eclipse.jetty", "org.apache.zookeeper"};

    public static SparkSession create(Settings settings, String appName) {
        quietLogs(settings.spark().logLevel());
        SparkConf conf = new SparkConf();
        // What the user chose (spark-submit --conf, spark.* system properties, supportroi.spark.extra) is never
        // retuned for the data's size.
        java.util.Set<String> given = new java.util.HashSet<>();
        for (String key : TUNED) {
            if (conf.contains(key) || settings.spark().extra().containsKey(key)) {
                given.add(key);
            }
        }
        userGiven = java.util.Set.copyOf(given);
        // spark-submit passes its --master through spark.master; setting one here would override the cluster's.
        if (!conf.contains("spark.master")) {
            conf.setMaster(settings.spark().master());
        }
        conf.setAppName(appName)
                .setIfMissing("spark.driver.host", System.getenv().getOrDefault("SPARK_LOCAL_IP", "127.0.0.1"))
                .set("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .set("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .set("spark.sql.session.timeZone", "UTC")
                // Applied by SparkContext as it starts, in Spark's own logging context: under spark-submit our
                // classes live in a child class loader whose log4j context is not the one Spark logs to.
                .setIfMissing("spark.log.level", settings.spark().logLevel())
                .setIfMissing("spark.ui.enabled", "false")
                .setIfMissing("spark.ui.showConsoleProgress", "false")
                .setIfMissing("spark.sql.adaptive.enabled", "true")
                // Local Delta writes of many tiny tables: no need for Delta's checksum and stats bookkeeping per commit.
                .setIfMissing("spark.databricks.delta.schema.autoMerge.enabled", "false")
                .setIfMissing("spark.sql.warehouse.dir",
                        System.getProperty("java.io.tmpdir") + "/supportroi-spark-catalog");
        int partitions = settings.spark().shufflePartitions();
        if (conf.get("spark.master").startsWith("local")) {
            warmCaseMappings();
            // Delta replays its log with 50 partitions by default: right for a cluster, pure overhead in one JVM.
            conf.setIfMissing("spark.databricks.delta.snapshotPartitions", Integer.toString(partitions));
            ForklessLocalFileSystem.HADOOP_SETTINGS.forEach((key, value) -> conf.setIfMissing("spark.hadoop." + key,
                    value));
        }
        // A spark-submit --conf is more specific than the HOCON default, so it wins.
        conf.setIfMissing("spark.sql.shuffle.partitions", Integer.toString(partitions));
        if (settings.catalog().hiveMetastore()) {
            hiveMetastore(conf, settings);
        }
        for (Map.Entry<String, String> e : settings.spark().extra().entrySet()) {
            conf.set(e.getKey(), e.getValue());
        }
        SparkSession spark;
        try {
            spark = SparkSession.builder().config(conf).getOrCreate();
        } catch (IllegalArgumentException e) {
            if (settings.catalog().hiveMetastore() && String.valueOf(e.getMessage()).contains("Hive")) {
                throw new BadInput("supportroi.catalog.hive-metastore is on but Spark's Hive support "
                        + "is not on the classpath: build with `mvn -Phive package`, or run where spark-hive is", e);
            }
            throw e;
        }
        spark.sparkContext().setLogLevel(settings.spark().logLevel());
        if (settings.catalog().hiveMetastore()) {
            // The metastore client warns of every database it looks up before creating it: expected, not news.
            for (String logger : HIVE_LOGGERS) {
                Configurator.setLevel(logger, Level.ERROR);
            }
        }
        return spark;
    }

    /**
     * Spark 4's lower() and upper() map case with ICU (spark.sql.icu.caseMappings.enabled, on by default) through
     * Spark's CollationAwareUTF8String, whose class initialiser title-cases every Unicode code point with ICU: about
     * 2 s of one thread on the 2-core machine, during which every task that lowers a string waits (the fixture's
     * three CSV sources, side by side: 3.9, 2.5 and 2.4 s against 0.3-0.6 s for the others). Started beside the
     * SparkContext's start instead, for local masters, whose tasks mostly run in this JVM. Any call into that class
     * runs the initialiser (an ICU call of our own would not); the queries' results are unchanged.
     */
    private static void warmCaseMappings() {
        Thread warm = new Thread(() -> CollationSupport.Lower.execBinaryICU(UTF8String.fromString("A")),
                "supportroi-warm-case-mappings");
        warm.setDaemon(true);
        warm.start();
    }

    /** Shuffle partitions on small data: both cores of a small machine, without a task per core of a large one. */
    private static final int SMALL_DATA_PARTITIONS = 2;

    private static final String SHUFFLE_PARTITIONS = "spark.sql.shuffle.partitions";
    private static final String SNAPSHOT_PARTITIONS = "spark.databricks.delta.snapshotPartitions";
    private static final String WHOLE_STAGE = "spark.sql.codegen.wholeStage";
    private static final String ADAPTIVE = "spark.sql.adaptive.enabled";
    private static final String MERGE_REPARTITION = "spark.databricks.delta.merge.repartitionBeforeWrite.enabled";
    /**
     * How expressions are evaluated: FALLBACK (Spark's default) compiles generated code for every projection,
     * predicate and ordering of every plan. A small run has a few hundred distinct plans of a few rows each: their
     * compiling (Janino, then the JIT on the new classes) was half of a run's CPU on two cores, and interpreting them
     * gives the same rows (Spark runs its own expression tests both ways).
     */
    private static final String CODEGEN_FACTORY = "spark.sql.codegen.factoryMode";
    /**
     * Joins by broadcast below this size. Every broadcast is a Spark job of its own (collect, then build the hash
     * table) before the join's job: on small data, where every side is under any threshold, that was a fifth of a
     * run's jobs, where a sort-merge join on two partitions runs inside the join's job.
     */
    private static final String AUTO_BROADCAST = "spark.sql.autoBroadcastJoinThreshold";
    /**
     * Whether cached tables are compressed in memory. The gold stage caches every silver table it reads; on small
     * data, compressing them cost more CPU than their reads saved (the seven tables the benchmark compares, at
     * 100,000 customers: 16.1 s compressed, 12.1 s not), and under the size limit they fit in memory either way.
     */
    private static final String CACHE_COMPRESSED = "spark.sql.inMemoryColumnarStorage.compressed";
    /**
     * Whether a Delta commit lists the table's files in its checksum file. No scan reads that list (a scan rebuilds
     * the files from the log); Delta only carries it into the next commit's checksum, and an absent list is allowed.
     * Writing it costs the first commit of every table a Spark job listing the files of the empty table before it:
     * on small data, where every table is new on the first run, a twentieth of the run's driver time (fixture
     * nightly, JFR samples). An internal Delta setting: if a later Delta renames it, setting it does nothing.
     */
    private static final String FILES_IN_CHECKSUM = "spark.databricks.delta.allFilesInCrc.enabled";
    /**
     * How each query's plan is described for the UI and event log. Spark renders it for every query even with the
     * UI off; "formatted" adds every operator's details in a second listing, a twentieth of a small run's driver
     * time (JFR samples); "simple" is the plan tree alone.
     */
    private static final String PLAN_DESCRIPTION = "spark.sql.ui.explainMode";
    /**
     * Whether a Delta write records each file's column statistics (row count, min, max, nulls) for data skipping.
     * On small data every table is a file or two that every query reads whole, so nothing is skipped; collecting
     * them compiled a projection per written file and planned an aggregate per write: fixture nightly 39.9 -> 37.5 s
     * (medians of three alternated runs), CPU 69.8 -> 65.4 s. Files written without them stay so and are read whole,
     * as Delta reads any file without statistics; a table that grows past small data gets them on later writes.
     */
    private static final String COLLECT_STATS = "spark.databricks.delta.stats.collect";
    private static final List<String> TUNED = List.of(SHUFFLE_PARTITIONS, SNAPSHOT_PARTITIONS, WHOLE_STAGE, ADAPTIVE,
            MERGE_REPARTITION, CODEGEN_FACTORY, AUTO_BROADCAST, CACHE_COMPRESSED, FILES_IN_CHECKSUM, PLAN_DESCRIPTION,
            COLLECT_STATS);

    /**
     * Not a Spark setting: whether the settings for small data are the ones in force, for stages that hold whole
     * inputs in memory only when they are small. Carried by the session, like the settings it describes.
     */
    private static final String SMALL_DATA = "supportroi.run.small-data";

    /** Whether the session's current settings are those for small data ({@link #fitToData}, {@link #fitToSilver}). */
    public static boolean isSmallData(SparkSession spark) {
        return Boolean.parseBoolean(spark.conf().get(SMALL_DATA, "false"));
    }

    /**
     * At most how many files a table is written as, and partitions its rows are kept in, on small data: the
     * session's shuffle partitions (one or two, {@link #fitToData}, unless the user set them). Otherwise 0: as the
     * plan makes them.
     */
    public static int smallDataPartitions(SparkSession spark) {
        return isSmallData(spark) ? Integer.parseInt(spark.conf().get(SHUFFLE_PARTITIONS)) : 0;
    }

    /**
     * {@code rows} in at most {@link #smallDataPartitions} partitions on small data, for a write (each file a
     * partition, so a task, in every later read) or a kept copy: every task deserialises its stage's whole plan,
     * a write task Hadoop's configuration too, and a union of a dozen sources written as it came made a dozen tasks
     * and files for a few rows. Rows whose plan says they are in no more keep it: a coalesce would hide a hash
     * partitioning that later joins and aggregates reuse. A plan that does not know its count (0: a union of cached
     * frames, an RDD) is coalesced.
     */
    public static Dataset<Row> inSmallDataPartitions(Dataset<Row> rows) {
        int partitions = smallDataPartitions(rows.sparkSession());
        if (partitions == 0) {
            return rows;
        }
        int planned = rows.queryExecution().executedPlan().outputPartitioning().numPartitions();
        return planned > 0 && planned <= partitions ? rows : rows.coalesce(partitions);
    }

    /** Of {@link #TUNED}, the settings the user gave when the session was created. */
    private static volatile java.util.Set<String> userGiven = java.util.Set.of();

    /**
     * Sets the session's runtime settings for the size of the data a run is about to read: in local mode, below
     * {@code supportroi.spark.small-data-mb}, those for small data; otherwise the defaults. Decided per run, not when
     * the session starts, because a session may start before its landing folder is filled (the demo, the bench).
     * With the limit at 0 the choice is off and the session keeps the settings it has (a caller that set them, as
     * the tests' shared session does, keeps them). Returns whether the settings for small data were chosen.
     */
    public static boolean fitToData(SparkSession spark, Settings settings) {
        if (!spark.sparkContext().master().startsWith("local") || settings.spark().smallDataMb() == 0) {
            return false;
        }
        long mb = sizeMb(spark.sparkContext().hadoopConfiguration(), settings.spark().smallDataMb(),
                settings.landing(), settings.warehouse());
        boolean small = mb >= 0;
        apply(spark, settings, small, mb);
        if (small) {
            LOG.info("local mode on {} MB of data: Spark settings for small data", mb);
        }
        return small;
    }

    /**
     * Before the stages that read only silver (the quality gates, gold): the settings for small data when silver
     * is under {@code supportroi.spark.small-silver-mb}, even if the run's landing and warehouse were too large
     * for them; otherwise the session keeps what {@link #fitToData} chose. Returns whether they were chosen here.
     */
    public static boolean fitToSilver(SparkSession spark, Settings settings) {
        long limit = settings.spark().smallSilverMb();
        if (!spark.sparkContext().master().startsWith("local") || limit == 0 || settings.warehouse() == null
                || settings.warehouse().isBlank()) {
            return false;
        }
        long mb = sizeMb(spark.sparkContext().hadoopConfiguration(), limit,
                new Path(settings.warehouse(), Layer.SILVER.dir()).toString());
        if (mb < 0) {
            return false;
        }
        apply(spark, settings, true, mb);
        LOG.info("local mode on {} MB of silver: Spark settings for small data for the quality gates and gold", mb);
        return true;
    }

    private static void apply(SparkSession spark, Settings settings, boolean small, long mb) {
        int partitions = shufflePartitions(settings.spark(), small, mb);
        tuned(small, partitions).forEach((key, value) -> {
            if (!userGiven.contains(key)) {
                spark.conf().set(key, value);
            }
        });
    }

    /**
     * Shuffle partitions for {@code mb} of data: the configured number, or for small data two, or one below
     * {@code supportroi.spark.one-partition-mb}.
     */
    static int shufflePartitions(Settings.SparkSettings settings, boolean small, long mb) {
        if (!small) {
            return settings.shufflePartitions();
        }
        boolean one = mb < settings.onePartitionMb();
        return Math.min(settings.shufflePartitions(), one ? 1 : SMALL_DATA_PARTITIONS);
    }

    /**
     * The session settings for small data, in two partitions: what a local run below the size limit uses (in one
     * below {@code supportroi.spark.one-partition-mb}), and the tests' session.
     */
    public static Map<String, String> forSmallData() {
        return tuned(true, SMALL_DATA_PARTITIONS);
    }

    private static Map<String, String> tuned(boolean small, int partitions) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        values.put(SHUFFLE_PARTITIONS, Integer.toString(partitions));
        values.put(SNAPSHOT_PARTITIONS, small ? "1" : Integer.toString(partitions));
        values.put(WHOLE_STAGE, Boolean.toString(!small));
        values.put(ADAPTIVE, Boolean.toString(!small));
        values.put(MERGE_REPARTITION, Boolean.toString(!small));
        values.put(CODEGEN_FACTORY, small ? "NO_CODEGEN" : "FALLBACK");
        // Spark's own default otherwise; a join marked broadcast() in the code is broadcast either way.
        values.put(AUTO_BROADCAST, small ? "-1" : "10MB");
        values.put(CACHE_COMPRESSED, Boolean.toString(!small));
        values.put(FILES_IN_CHECKSUM, Boolean.toString(!small));
        values.put(PLAN_DESCRIPTION, small ? "simple" : "formatted");
        values.put(COLLECT_STATS, Boolean.toString(!small));
        values.put(SMALL_DATA, Boolean.toString(small));
        return java.util.Collections.unmodifiableMap(values);
    }

    /**
     * What the folders hold together in MB when it is under {@code limitMb}, else -1. Only for local paths:
     * measuring an object store would cost a listing of every object, and a cluster keeps its own settings anyway.
     */
    static long sizeMb(Configuration hadoop, long limitMb, String... dirs) {
        long bytes = 0;
        for (String dir : dirs) {
            if (dir == null || dir.isBlank()) {
                continue;
            }
            try {
                Path p = new Path(dir);
                // The session's settings: a file system made from others first would be the one cached for all.
                FileSystem fs = p.getFileSystem(hadoop);
                if (!(fs instanceof LocalFileSystem)) {
                    return -1;
                }
                if (fs.exists(p)) {
                    bytes += fs.getContentSummary(p).getLength();
                }
            } catch (IOException e) {
                LOG.debug("cannot size {}: settings for small data not applied", dir, e);
                return -1;
            }
            if (bytes >= limitMb * MB) {
                return -1;
            }
        }
        return bytes / MB;
    }

    private static final long MB = 1024L * 1024;

    /** Metastore folder of the embedded Derby metastore, beside the layers. */
    public static final String METASTORE_DIR = "_metastore";

    private static void hiveMetastore(SparkConf conf, Settings settings) {
        conf.set("spark.sql.catalogImplementation", "hive");
        String uri = settings.catalog().metastoreUri();
        if (uri != null && !uri.isBlank()) {
            conf.setIfMissing("spark.hadoop.hive.metastore.uris", uri);
            return;
        }
        String dir = new java.io.File(settings.warehouse(), METASTORE_DIR).getAbsolutePath();
        conf.setIfMissing("spark.hadoop.javax.jdo.option.ConnectionURL",
                "jdbc:derby:;databaseName=" + dir + "/metastore_db;create=true");
        // Managed tables (none are made here) would go beside it rather than into the working directory.
        conf.set("spark.sql.warehouse.dir", dir + "/managed");
        if (System.getProperty("derby.stream.error.file") == null) {
            new java.io.File(dir).mkdirs();
            System.setProperty("derby.stream.error.file", dir + "/derby.log");
        }
    }

    private static final String[] HIVE_LOGGERS = {"org.apache.hadoop.hive", "hive", "DataNucleus",
            "org.apache.spark.sql.hive", "org.datanucleus"};

    public static void quietLogs(String level) {
        Level l = Level.toLevel(level, Level.WARN);
        for (String logger : NOISY_LOGGERS) {
            Configurator.setLevel(logger, l);
        }
        // Parquet and Hadoop native-library warnings repeat per file and say nothing actionable.
        Configurator.setLevel("org.apache.hadoop.util.NativeCodeLoader", Level.ERROR);
        Configurator.setLevel("org.apache.spark.util.Utils", Level.ERROR);
        // Wide schemas (a Shopify order has dozens of fields) make Spark warn that a plan's text was shortened.
        Configurator.setLevel("org.apache.spark.util.SparkStringUtils", Level.ERROR);
        // MLlib falls back to Java BLAS when no native one is installed, and warns of it on every run.
        Configurator.setLevel("dev.ludovic.netlib", Level.ERROR);
    }
}
