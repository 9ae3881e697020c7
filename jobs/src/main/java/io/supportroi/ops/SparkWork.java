package io.supportroi.ops;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.sql.SparkSession;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a run asks of Spark and Delta, counted per scope (a pipeline stage, or one table inside it): Spark jobs,
 * the stages they ran (skipped ones, whose output was reused, are not counted) and Delta commits. On small data a
 * run's time is these counts times a fixed cost each, so they say where the time goes and are what a change to
 * the fixed cost must move.
 *
 * <p>The scope travels as a Spark local property, which Spark hands to the threads it starts for a job
 * (broadcasts, subqueries) and to Delta's own jobs; it is also the job group, so the Spark UI groups jobs the same
 * way.
 */
public final class SparkWork extends SparkListener {
    /** The local property naming the scope of the jobs a thread submits. */
    public static final String SCOPE = "supportroi.scope";
    private static final String NO_SCOPE = "(none)";
    /** SparkContext's own key for a job group (the constant lives on its Scala companion object). */
    private static final String JOB_GROUP = "spark.jobGroup.id";
    /**
     * What Spark shows for a job and an RDD (the UI, the event log): the scope, the stage and table it works for.
     * Left unset, Spark walks and filters the calling thread's stack for every RDD a plan creates and every job.
     */
    private static final String CALL_SITE_SHORT = "callSite.short";
    private static final String CALL_SITE_LONG = "callSite.long";

    /** Counts of one scope, or of several added up. */
    public record Count(long jobs, long stages, long commits) {
        public static final Count ZERO = new Count(0, 0, 0);

        public Count plus(Count o) {
            return new Count(jobs + o.jobs, stages + o.stages, commits + o.commits);
        }

        public Count minus(Count o) {
            return new Count(jobs - o.jobs, stages - o.stages, commits - o.commits);
        }

        @Override
        public String toString() {
            return jobs + " Spark job(s), " + stages + " stage(s), " + commits + " Delta commit(s)";
        }
    }

    private static final Map<SparkContext, SparkWork> BY_CONTEXT = new WeakHashMap<>();

    private final Map<String, LongAdder[]> counts = new ConcurrentHashMap<>();
    private final SparkContext sc;

    private SparkWork(SparkContext sc) {
        this.sc = sc;
    }

    /** The counter of this session's Spark context, registered with it on first use. */
    public static SparkWork of(SparkSession spark) {
        synchronized (BY_CONTEXT) {
            return BY_CONTEXT.computeIfAbsent(spark.sparkContext(), sc -> {
                SparkWork w = new SparkWork(sc);
                sc.addSparkListener(w);
                return w;
            });
        }
    }

    /**
     * Counts what the calling thread submits from now on under {@code scope} (null: no scope), which is also its
     * job group and its jobs' call site; returns the scope it had.
     */
    public static String enter(SparkSession spark, String scope) {
        SparkContext sc = spark.sparkContext();
        of(spark);
        String previous = sc.getLocalProperty(SCOPE);
        sc.setLocalProperty(SCOPE, scope);
        sc.setLocalProperty(JOB_GROUP, scope);
        sc.setLocalProperty(CALL_SITE_SHORT, scope);
        sc.setLocalProperty(CALL_SITE_LONG, scope);
        return previous;
    }

    /** What a scoped body returned, and what it asked of Spark and Delta. */
    public record Scoped<T>(T value, Count work) {}

    /**
     * Runs {@code body} with its jobs and commits counted under {@code part} inside the thread's current scope
     * ("gold" becomes "gold/gold.support_pnl_monthly"); the scope is restored afterwards.
     */
    public static <T> Scoped<T> in(SparkSession spark, String part, java.util.function.Supplier<T> body) {
        String previous = spark.sparkContext().getLocalProperty(SCOPE);
        String scope = previous == null ? part : previous + "/" + part;
        Count before = of(spark).under(scope);
        enter(spark, scope);
        try {
            T value = body.get();
            return new Scoped<>(value, of(spark).under(scope).minus(before));
        } finally {
            enter(spark, previous);
        }
    }

    /** Counts a Delta commit the calling thread just made, under its scope. */
    public static void committed(SparkSession spark) {
        of(spark).add(scopeOf(spark.sparkContext().getLocalProperty(SCOPE)), 2);
    }

    @Override
    public void onJobStart(SparkListenerJobStart job) {
        add(scopeOf(job.properties()), 0);
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted stage) {
        add(scopeOf(stage.properties()), 1);
    }

    /** Everything counted so far, all scopes together. */
    public Count total() {
        Count sum = Count.ZERO;
        for (Count c : byScope().values()) {
            sum = sum.plus(c);
        }
        return sum;
    }

    /** Everything counted so far under {@code scope} and the scopes inside it. */
    public Count under(String scope) {
        Count sum = Count.ZERO;
        for (Map.Entry<String, Count> e : byScope().entrySet()) {
            if (e.getKey().equals(scope) || e.getKey().startsWith(scope + "/")) {
                sum = sum.plus(e.getValue());
            }
        }
        return sum;
    }

    /** Everything counted so far, per scope, in scope order. */
    public Map<String, Count> byScope() {
        settle();
        Map<String, Count> out = new TreeMap<>();
        counts.forEach((scope, c) -> out.put(scope, new Count(c[0].sum(), c[1].sum(), c[2].sum())));
        return out;
    }

    /**
     * Spark tells listeners of a job on its own thread, a moment after the job started: wait (briefly) for the
     * events already posted, so a count read right after a stage includes all of its jobs.
     */
    private void settle() {
        try {
            sc.listenerBus().waitUntilEmpty(SETTLE_MILLIS);
        } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
            // A busy bus only makes a count late; it is never a reason to fail a run.
        }
    }

    private static final long SETTLE_MILLIS = 2_000;

    private void add(String scope, int which) {
        counts.computeIfAbsent(scope, s -> new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder()})[which]
                .increment();
    }

    private static String scopeOf(Properties properties) {
        return properties == null ? NO_SCOPE : scopeOf(properties.getProperty(SCOPE));
    }

    private static String scopeOf(String scope) {
        return scope == null ? NO_SCOPE : scope;
    }
}
