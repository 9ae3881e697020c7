package io.supportroi.testing;

import io.supportroi.config.Settings;
import io.supportroi.ops.SparkSessions;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One local SparkSession per test JVM, shared by every test class: {@code @ExtendWith(SparkTest.class)} and take a
 * {@link SparkSession} parameter. Two cores, few shuffle partitions, retries on (local[2,2]) so a flaky task is
 * visible as a retry rather than a failed test only when it fails twice.
 */
public final class SparkTest implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private static SparkSession session;

    public static synchronized SparkSession spark() {
        return spark("local[2]");
    }

    /**
     * Runs {@code body} on a session of its own on another master ({@code local[1]}: one core), then brings back the
     * shared one. Objects holding the shared session (a Warehouse) must be made again from {@link #spark()} after.
     */
    public static synchronized <T> T onMaster(String master, Function<SparkSession, T> body) {
        stop();
        try {
            return body.apply(spark(master));
        } finally {
            stop();
            spark();
        }
    }

    private static void stop() {
        if (session != null) {
            session.stop();
            org.apache.spark.sql.delta.DeltaLog.clearCache();
            session = null;
        }
    }

    private static SparkSession spark(String master) {
        if (session == null) {
            Settings defaults = Settings.defaults();
            Map<String, String> extra = new LinkedHashMap<>(defaults.spark().extra());
            extra.put("spark.default.parallelism", master.equals("local[1]") ? "1" : "2");
            // Test data is a handful of rows to a few tens of thousands: the settings a local run picks for small
            // data (interpreted plans, no adaptive re-planning, two partitions).
            extra.putAll(SparkSessions.forSmallData());
            Settings s = defaults.withSpark(new Settings.SparkSettings(master, 2, "ERROR", extra));
            session = SparkSessions.create(s, "supportroi-tests");
        }
        return session;
    }

    /**
     * Settings for tests: defaults with two shuffle partitions and without the gold exports, which are two file
     * writes per gold table per run; NightlyOperationsTest (through the command line, with the defaults) and
     * GoldExportsTest test them.
     */
    public static Settings settings() {
        Settings d = Settings.defaults();
        return d.withSpark(new Settings.SparkSettings("local[2]", 2, "ERROR", d.spark().extra()))
                .withExports(new Settings.ExportSettings(false));
    }

    /**
     * Session settings every class starts from. A command run in this JVM (Main.execute) configures the shared
     * session as the command line would (eight partitions, adaptive execution): without this, every class after it
     * in the same fork would run on those, slower on tiny data.
     */
    private static final Map<String, String> SQL_CONF = SparkSessions.forSmallData();

    @Override
    public void beforeAll(ExtensionContext context) {
        SparkSession s = spark();
        SQL_CONF.forEach((k, v) -> s.conf().set(k, v));
    }

    /**
     * Each class leaves the shared session as it found it: datasets a class cached and Delta's per-table snapshot
     * caches of the warehouses it made would otherwise pile up over the suite until the heap thrashes.
     */
    @Override
    public void afterAll(ExtensionContext context) {
        if (session != null) {
            session.catalog().clearCache();
            org.apache.spark.sql.delta.DeltaLog.clearCache();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == SparkSession.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return spark();
    }
}
