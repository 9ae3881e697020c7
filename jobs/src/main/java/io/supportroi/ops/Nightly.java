package io.supportroi.ops;

import io.supportroi.analytics.AsOf;
import io.supportroi.analytics.GoldBuild;
import io.supportroi.config.BadInput;
import io.supportroi.config.Settings;
import io.supportroi.ingest.BronzeIngest;
import io.supportroi.model.Orders;
import io.supportroi.model.SilverBuild;
import io.supportroi.model.Subscriptions;
import io.supportroi.model.Tickets;
import io.supportroi.model.Unmatched;
import org.apache.spark.sql.SparkSession;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The nightly run: new landing files to bronze, bronze to silver, silver to gold, and a row in {@code ops.runs}
 * whatever happens (with one entry per stage). Every stage is a no-op when its input did not change, so re-running
 * a night changes nothing. One run at a time holds the warehouse ({@link RunLock}).
 */
public final class Nightly {
    private Nightly() {}

    /**
     * @param filesIngested  landing files whose records this run read
     * @param duplicateFiles landing files skipped because their content was already ingested under another path
     */
    public record Summary(String runId, LocalDate asOf, String status, long filesIngested, long duplicateFiles,
                          List<Runs.TableCount> counts, List<Unmatched.Count> unmatched, List<Runs.Stage> stages,
                          long seconds) {
        public long read() {
            return counts.stream().mapToLong(Runs.TableCount::read).sum();
        }

        public long quarantined() {
            return counts.stream().mapToLong(Runs.TableCount::quarantined).sum();
        }

        public long written() {
            return counts.stream().mapToLong(Runs.TableCount::written).sum();
        }
    }

    /** Called before each stage ({@link #STAGES}) starts, and at {@link #PUBLISH}; tests inject failures through it. */
    @FunctionalInterface
    public interface StageHook {
        void before(String stage);

        StageHook NONE = stage -> { };
    }

    /** How long to wait for another run holding the warehouse, and the stage hook. */
    public record Options(Duration lockWait, StageHook hook) {
        public static final Options DEFAULT = new Options(Duration.ZERO, StageHook.NONE);

        public Options withLockWait(Duration wait) {
            return new Options(wait, hook);
        }
    }

    public static final String INGEST = "ingest";
    public static final String SILVER = "silver";
    public static final String QUALITY = "quality";
    public static final String GOLD = "gold";
    /** Not a stage of its own: the point inside gold where every table is computed and none is published yet. */
    public static final String PUBLISH = "publish";
    public static final List<String> STAGES = List.of(INGEST, SILVER, QUALITY, GOLD);
    /** Tables a run may append to whatever else it changes: the run ledger, and the quality verdicts when it checks. */
    public static final List<TableRef> LEDGERS = List.of(Runs.TABLE, QualityGates.TABLE);

    public static Summary run(SparkSession spark, Settings settings, LocalDate asOf) {
        return run(spark, settings, asOf, Options.DEFAULT);
    }

    /**
     * One run, holding the warehouse lock throughout: a second run started meanwhile waits up to
     * {@code options.lockWait()} and then fails with {@link RunLock.Busy}, having touched nothing.
     */
    public static Summary run(SparkSession spark, Settings settings, LocalDate asOf, Options options) {
        SparkSessions.fitToData(spark, settings);
        Warehouse wh = new Warehouse(spark, settings.warehouse());
        Instant start = Instant.now();
        String runId = newRunId(start);
        try (RunLock lock = RunLock.acquire(wh, runId, options.lockWait())) {
            return locked(wh, settings, asOf, options.hook(), runId, Instant.now(), NIGHTLY);
        }
    }

    public static final String NIGHTLY = "nightly";
    public static final String BACKFILL = "backfill";

    /**
     * Recomputes history: one run per day from {@code from} to {@code to}, in order, each exactly what
     * {@code nightly --as-of} that day gives (its own row in {@code ops.runs}, its gold published as a Delta version
     * stamped with its run id, its worklists exported under its date). The first run ingests whatever is new; the
     * others find nothing new and only recompute gold. The lock is held for the whole range, so no nightly run slips
     * in between two days. Stops at the first day that does not succeed; the warehouse is then as that day's run
     * left it, and gold as the last successful day published it.
     */
    public static List<Summary> backfill(SparkSession spark, Settings settings, LocalDate from, LocalDate to,
                                         Options options) {
        if (to.isBefore(from)) {
            throw new BadInput("backfill: --from " + from + " is after --to " + to);
        }
        SparkSessions.fitToData(spark, settings);
        Warehouse wh = new Warehouse(spark, settings.warehouse());
        List<Summary> runs = new ArrayList<>();
        try (RunLock lock = RunLock.acquire(wh, BACKFILL + "-" + newRunId(Instant.now()), options.lockWait())) {
            for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
                Instant start = Instant.now();
                Progress.line(BACKFILL, "as-of %s (%d of %d)", day, runs.size() + 1,
                        java.time.temporal.ChronoUnit.DAYS.between(from, to) + 1);
                Summary s = locked(wh, settings, day, options.hook(), newRunId(start), start, BACKFILL);
                runs.add(s);
                if (!Runs.SUCCEEDED.equals(s.status())) {
                    break;
                }
            }
        }
        return runs;
    }

    private static Summary locked(Warehouse wh, Settings settings, LocalDate asOf, StageHook hook, String runId,
                                  Instant start, String command) {
        SparkWork.Count before = SparkWork.of(wh.spark()).total();
        String outer = SparkWork.enter(wh.spark(), null);
        // Silver as the gates and gold read it: each table once, cached for both stages.
        try (CachedReads silver = new CachedReads(wh)) {
            return stages(wh, silver, settings, asOf, hook, runId, start, command);
        } finally {
            SparkWork.enter(wh.spark(), outer);
            Progress.line("nightly", "run %s: %s", runId, SparkWork.of(wh.spark()).total().minus(before));
        }
    }

    private static Summary stages(Warehouse wh, CachedReads silverReads, Settings settings, LocalDate asOf,
                                  StageHook hook, String runId, Instant start, String command) {
        List<Runs.TableCount> counts = new ArrayList<>();
        List<Unmatched.Count> unmatched = new ArrayList<>();
        List<Runs.Stage> stages = new ArrayList<>();
        long files = 0;
        long duplicates = 0;
        LocalDate effectiveAsOf = asOf;
        Progress.line("nightly", "run %s: landing %s -> warehouse %s", runId, settings.landing(), settings.warehouse());
        StageClock clock = StageClock.begin(wh.spark(), INGEST);
        try {
            hook.before(INGEST);
            List<BronzeIngest.SourceResult> ingested = BronzeIngest.run(wh, settings.landing(), runId,
                    Timestamp.from(start), settings.ingest().maxFileBytes());
            long read = 0;
            long written = 0;
            long quarantined = 0;
            for (BronzeIngest.SourceResult r : ingested) {
                files += r.files();
                duplicates += r.duplicates();
                read += r.read();
                written += r.written();
                quarantined += r.quarantined();
                counts.add(new Runs.TableCount(r.source().bronze().qualified(), r.read(), r.written(), r.quarantined()));
            }
            stages.add(clock.end(Runs.SUCCEEDED, read, written, quarantined, null));
            Progress.line("ingest", "%d new file(s)%s", files,
                    duplicates == 0 ? "" : ", " + duplicates + " duplicate(s) of files already ingested skipped");

            clock = StageClock.begin(wh.spark(), SILVER);
            hook.before(SILVER);
            // Bronze moved since silver was last complete (new files, or a run that died after ingesting), or a
            // warehouse from an older version lacks tables added since: build silver.
            Map<String, Long> bronze = SilverInputs.current(wh);
            if (files > 0 || SilverBuild.anyMissing(wh)
                    || !SilverInputs.surelyCurrent(wh) && !bronze.equals(SilverInputs.recorded(wh))) {
                SilverBuild.Result silver = SilverBuild.build(wh, settings, runId, silverReads);
                SilverInputs.record(wh, bronze, runId);
                long rows = 0;
                for (SilverBuild.TableResult r : silver.tables()) {
                    rows += r.rows();
                    counts.add(new Runs.TableCount(r.table().qualified(), r.rows(), r.changed(), 0));
                }
                unmatched.addAll(silver.unmatched());
                stages.add(clock.end(Runs.SUCCEEDED, null, rows, 0, null));
            } else {
                Progress.line("silver", "bronze unchanged since silver was built: silver unchanged");
                stages.add(clock.end(Runs.SKIPPED, null, 0, 0, null));
            }

            clock = StageClock.begin(wh.spark(), QUALITY);
            hook.before(QUALITY);
            // Gold is a pure function of silver's versions, the as-of, the settings and the code: when none moved
            // since it was computed (after its gates passed), the gates would give the same verdicts and gold the
            // same rows. A night with nothing new then costs a few file listings, not a Spark job per check.
            String fingerprint = GoldInputs.fingerprint(wh, settings, asOf);
            GoldInputs.Recorded last = GoldInputs.recorded(wh);
            if (GoldInputs.upToDate(wh, fingerprint, last)) {
                Progress.line(QUALITY, "silver unchanged since its gates passed and gold was computed: not re-checked");
                stages.add(clock.end(Runs.SKIPPED, null, 0, 0, null));
                clock = StageClock.begin(wh.spark(), GOLD);
                hook.before(GOLD);
                effectiveAsOf = last.asOf();
                Progress.line(GOLD, "silver, as-of, settings and code unchanged since gold was computed: gold unchanged");
                stages.add(clock.end(Runs.SKIPPED, null, 0, 0, null));
                registerInCatalog(wh, settings);
                return finish(wh, command, runId, effectiveAsOf, start, Runs.SUCCEEDED, null, files, duplicates,
                        counts, unmatched, stages);
            }
            // Every silver table is read by the gates and gold: planned at once, not one after the other.
            silverReads.readAll(SilverBuild.TABLES);
            LocalDate dataAsOf = asOf != null ? asOf : AsOf.latestEventDate(silverReads.read(Tickets.TABLE),
                    silverReads.read(Orders.TABLE), silverReads.read(Subscriptions.TABLE));
            if (dataAsOf == null) {
                // A first night before any export arrived: nothing to check or compute yet, and nothing is wrong.
                Progress.line("nightly", "no tickets, orders or subscriptions yet: quality gates and gold wait for "
                        + "data (or pass --as-of)");
                stages.add(clock.end(Runs.SKIPPED, null, 0, 0, null));
                stages.add(StageClock.begin(wh.spark(), GOLD).end(Runs.SKIPPED, null, 0, 0, null));
                return finish(wh, command, runId, null, start, Runs.SUCCEEDED, null, files, duplicates, counts,
                        unmatched, stages);
            }
            // The gates and gold read only silver, often a small fraction of landing and bronze: sized on it.
            SparkSessions.fitToSilver(wh.spark(), settings);
            if (settings.quality().enabled()) {
                List<QualityGates.Result> verdicts = QualityGates.evaluate(
                        qualityInputs(wh, silverReads, unmatched), settings.quality(), AsOf.endOfDay(dataAsOf));
                QualityGates.record(wh, runId, Timestamp.from(clock.start()), verdicts);
                List<String> failed = verdicts.stream().filter(v -> !v.passed())
                        .map(v -> v.gate() + " " + v.subject() + " (" + v.detail() + ")").toList();
                if (!failed.isEmpty()) {
                    String error = "quality gate failed, gold not published: " + String.join("; ", failed);
                    failed.forEach(f -> Progress.line(QUALITY, "FAILED %s", f));
                    stages.add(clock.end(GATE_FAILED, null, verdicts.size(), 0, error));
                    return finish(wh, command, runId, asOf, start, GATE_FAILED, error, files, duplicates, counts,
                            unmatched, stages);
                }
                stages.add(clock.end(Runs.SUCCEEDED, null, verdicts.size(), 0, null));
            } else {
                stages.add(clock.end(Runs.SKIPPED, null, 0, 0, null));
            }

            clock = StageClock.begin(wh.spark(), GOLD);
            hook.before(GOLD);
            // The as-of found above, not found again from the same silver (a Spark job).
            GoldBuild.Result gold = GoldBuild.run(wh, silverReads, settings, dataAsOf, runId,
                    () -> hook.before(PUBLISH));
            effectiveAsOf = gold.asOf();
            long goldRows = 0;
            for (GoldBuild.TableResult r : gold.tables()) {
                goldRows += r.rows();
                counts.add(new Runs.TableCount(r.table().qualified(), r.rows(), r.written() ? r.rows() : 0, 0));
            }
            GoldInputs.record(wh, fingerprint, gold.asOf(),
                    gold.tables().stream().map(GoldBuild.TableResult::table).toList(), runId);
            stages.add(clock.end(Runs.SUCCEEDED, null, goldRows, 0, null));
            registerInCatalog(wh, settings);
            return finish(wh, command, runId, effectiveAsOf, start, Runs.SUCCEEDED, null, files, duplicates, counts,
                    unmatched, stages);
        } catch (RuntimeException e) {
            stages.add(clock.end(Runs.FAILED, null, 0, 0, String.valueOf(e.getMessage())));
            try {
                finish(wh, command, runId, effectiveAsOf, start, Runs.FAILED, clock.name() + ": " + e.getMessage(), files,
                        duplicates, counts, unmatched, stages);
            } catch (RuntimeException ledgerFailure) {
                e.addSuppressed(ledgerFailure);
            }
            throw e;
        }
    }

    private static void registerInCatalog(Warehouse wh, Settings settings) {
        if (settings.catalog().hiveMetastore()) {
            // Tables a newer version added, or a metastore that is new: other clients see them from now on.
            int tables = WarehouseCatalog.register(wh).size();
            Progress.line("catalog", "%d table(s) registered in the Hive metastore", tables);
        }
    }

    /** Status of a run (and of its quality stage) stopped by a data-quality gate: exit code 3. */
    public static final String GATE_FAILED = "gate_failed";

    private static QualityGates.Inputs qualityInputs(Warehouse wh, CachedReads silverReads,
                                                     List<Unmatched.Count> unmatchedThisRun) {
        java.util.Map<TableRef, org.apache.spark.sql.Dataset<org.apache.spark.sql.Row>> silver =
                new java.util.LinkedHashMap<>();
        for (TableRef t : SilverBuild.TABLES) {
            silver.put(t, silverReads.read(t));
        }
        // A run that found nothing new did not count the unmatched records: count them now.
        List<Unmatched.Count> unmatched = unmatchedThisRun.isEmpty() ? SilverBuild.unmatched(silverReads)
                : unmatchedThisRun;
        return new QualityGates.Inputs(silver, SilverBuild.KEYS, QualityGates.previousRows(wh), unmatched);
    }

    /** One stage's start, and the Spark work counted before it, so its end can say what it took. */
    private record StageClock(SparkSession spark, String name, Instant start, SparkWork.Count before) {
        static StageClock begin(SparkSession spark, String name) {
            SparkWork.enter(spark, name);
            return new StageClock(spark, name, Instant.now(), SparkWork.of(spark).under(name));
        }

        Runs.Stage end(String status, Long rowsIn, long rowsOut, long quarantined, String error) {
            Instant end = Instant.now();
            if (!Runs.FAILED.equals(status) && !GATE_FAILED.equals(status)) {
                Progress.line(name, "done in %.1f s (%s)", Duration.between(start, end).toMillis() / 1000.0,
                        SparkWork.of(spark).under(name).minus(before));
            }
            return new Runs.Stage(name, Timestamp.from(start), Timestamp.from(end), status, rowsIn, rowsOut,
                    quarantined, error);
        }
    }

    private static Summary finish(Warehouse wh, String command, String runId, LocalDate asOf, Instant start,
                                  String status, String error, long files, long duplicates,
                                  List<Runs.TableCount> counts,
                                  List<Unmatched.Count> unmatched, List<Runs.Stage> stages) {
        Instant end = Instant.now();
        var row = Runs.row(runId, command, asOf, Timestamp.from(start), Timestamp.from(end), status, error, files,
                duplicates, counts, unmatched, stages);
        // mergeSchema: a ledger written by an older version gains the columns added since (stages).
        wh.append(Runs.TABLE, wh.spark().createDataFrame(List.of(row), Runs.SCHEMA), runId, true);
        return new Summary(runId, asOf, status, files, duplicates, counts, unmatched, stages,
                end.getEpochSecond() - start.getEpochSecond());
    }

    static String newRunId(Instant start) {
        return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(start)
                + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
