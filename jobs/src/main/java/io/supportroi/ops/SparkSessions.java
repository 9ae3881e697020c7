package io.supportroi.ops;

import io.supportroi.config.BadInput;
import io.supportroi.config.Settings;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.util.Map;

/** The one place a SparkSession is configured: Delta, UTC, quiet logs, master only when nobody else chose one. */
public final class SparkSessions {
    private SparkSessions() {}

    private static final String[] NOISY_LOGGERS = {
            "org.apache.spark", "org.apache.hadoop", "org.sparkproject", "io.delta", "org.apache.parquet",
            "org.apache.kafka", "org.eclipse.jetty", "org.apache.zookeeper"};

    public static SparkSession create(Settings settings, String appName) {
        quietLogs(settings.spark().logLevel());
        SparkConf conf = new SparkConf();
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
                // A spark-submit --conf is more specific than the HOCON default, so it wins.
                .setIfMissing("spark.sql.shuffle.partitions",
                        Integer.toString(settings.spark().shufflePartitions()))
                .setIfMissing("spark.ui.enabled", "false")
                .setIfMissing("spark.ui.showConsoleProgress", "false")
                .setIfMissing("spark.sql.adaptive.enabled", "true")
                // Local Delta writes of many tiny tables: no need for Delta's checksum and stats bookkeeping per commit.
                .setIfMissing("spark.databricks.delta.schema.autoMerge.enabled", "false")
                .setIfMissing("spark.sql.warehouse.dir",
                        System.getProperty("java.io.tmpdir") + "/supportroi-spark-catalog");
        if (conf.get("spark.master").startsWith("local")) {
            // Delta replays its log with 50 partitions by default: right for a cluster, pure overhead in one JVM.
            conf.setIfMissing("spark.databricks.delta.snapshotPartitions",
                    Integer.toString(Math.max(1, settings.spark().shufflePartitions())));
        }
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
