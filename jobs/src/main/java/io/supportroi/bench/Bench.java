package io.supportroi.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.supportroi.config.BadInput;
import io.supportroi.config.Settings;
import io.supportroi.generate.DailyDrops;
import io.supportroi.generate.Generator;
import io.supportroi.generate.GeneratorOptions;
import io.supportroi.ops.Nightly;
import io.supportroi.ops.LocalDirs;
import io.supportroi.ops.Progress;
import io.supportroi.ops.SparkSessions;
import io.supportroi.ops.Runs;
import io.supportroi.ops.Warehouse;
import io.supportroi.report.Report;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The benchmark (SPEC §7): for each size, a generated business (reused when the same one is already there), full
 * nightly runs into a fresh warehouse, incremental runs (the last day of data on top of a warehouse holding the
 * rest), and the compared gold tables computed by Spark and by DuckDB from the same silver snapshot. Every timing is
 * taken {@code runs} times; results quote the median.
 */
public final class Bench {
    private Bench() {}

    /**
     * {@code fullRuns} full runs per size (0 skips them: at the largest sizes a full run takes hours, and the
     * history build, timed, is then the full rebuild the incremental night is compared with).
     */
    public record Options(Path workdir, List<Integer> customers, int months, long seed, int runs, int fullRuns,
                          boolean incremental) {
        public Options {
            if (fullRuns == 0 && !incremental) {
                throw new BadInput("nothing to time: no full run and no incremental run");
            }
        }
    }

    /** One stage's timings over the runs, with what it processed and its peak memory (the highest of the runs). */
    public record Stage(String stage, List<Double> seconds, Long rows, Long bytes, long peakHeapMb, Long peakRssMb) {
        public double median() {
            return Bench.median(seconds);
        }

        public Double rowsPerSecond() {
            return rows == null || median() <= 0 ? null : rows / median();
        }

        public Double megabytesPerSecond() {
            return bytes == null || median() <= 0 ? null : bytes / 1e6 / median();
        }
    }

    public record Comparison(List<String> tables, List<Double> sparkSeconds, List<Double> duckdbSeconds,
                             Map<String, long[]> silverRows, Map<String, TableDiff.Result> publishedVsDuckdb,
                             Map<String, TableDiff.Result> sparkVsDuckdb, int threads) {
        public boolean same() {
            return silverRows.values().stream().allMatch(c -> c[0] == c[1])
                    && Stream.concat(publishedVsDuckdb.values().stream(), sparkVsDuckdb.values().stream())
                    .allMatch(TableDiff.Result::same);
        }

        public double ratio() {
            return median(sparkSeconds) / median(duckdbSeconds);
        }
    }

    /**
     * {@code historySeconds} is the full build of everything but the last day, when this invocation made it (null
     * when an earlier one did).
     */
    public record SizeResult(int customers, int months, LocalDate asOf, long landingBytes, long landingFiles,
                             List<Stage> stages, List<Double> fullRunSeconds, Double historySeconds,
                             List<Double> incrementalSeconds, Long incrementalFiles, Comparison comparison) {
        /** What an incremental night is compared with: a full run, or failing that the history's full build. */
        public Double fullRebuildSeconds() {
            return !fullRunSeconds.isEmpty() ? Double.valueOf(median(fullRunSeconds)) : historySeconds;
        }

        public boolean comparedWithHistory() {
            return fullRunSeconds.isEmpty() && historySeconds != null;
        }

        public Double incrementalShare() {
            Double full = fullRebuildSeconds();
            return incrementalSeconds.isEmpty() || full == null ? null : median(incrementalSeconds) / full;
        }
    }

    public static final String GENERATE = "generate";
    public static final String REPORT = "report";
    /** Stage-name prefixes of the history build and of incremental runs; a full run's stages have none. */
    public static final String HISTORY = "history ";
    public static final String INCREMENTAL = "incremental ";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int COMPARISON_RUNS = 3;

    public static List<SizeResult> run(SparkSession spark, Settings settings, Options options) {
        List<SizeResult> out = new ArrayList<>();
        for (int customers : options.customers()) {
            try {
                out.add(size(spark, settings, options, customers));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (SQLException e) {
                throw new IllegalStateException("DuckDB: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static SizeResult size(SparkSession spark, Settings base, Options options, int customers)
            throws IOException, SQLException {
        Path dir = options.workdir().resolve("c" + customers + "-m" + options.months() + "-s" + options.seed())
                .toAbsolutePath();
        Path landing = dir.resolve("landing");
        MemoryMeter meter = new MemoryMeter();
        Map<String, StageAcc> stages = new LinkedHashMap<>();

        meter.reset();
        long genStart = System.nanoTime();
        boolean generated = generate(spark, base, options, customers, landing);
        long[] size = landingSize(landing);
        if (generated) {
            StageAcc generate = stages.computeIfAbsent(GENERATE, StageAcc::new);
            generate.add(seconds(genStart), meter.peak());
            generate.bytes = size[0];
        }
        JsonNode truth = JSON.readTree(landing.resolve("ground_truth.json").toFile());
        LocalDate asOf = LocalDate.parse(truth.get("end").asText());

        // The history is built first: it also warms the JVM, so the first full run is not also its warm-up.
        Path drops = dir.resolve("drops");
        Path incLanding = dir.resolve("landing-incremental");
        Path incWh = dir.resolve("warehouse-incremental");
        Path savedLanding = dir.resolve("history-landing");
        Path savedWh = dir.resolve("history-warehouse");
        Double history = null;
        if (options.incremental()) {
            if (!Files.isDirectory(drops)) {
                // Everything up to the day before the last goes to day-01, the last day to day-02. Split aside and
                // renamed when complete, so that an interrupted split is not mistaken for a finished one.
                Path partial = dir.resolve("drops.partial");
                LocalDirs.deleteRecursively(partial);
                DailyDrops.split(landing, asOf.minusDays(1), 2, partial);
                Files.move(partial, drops, StandardCopyOption.ATOMIC_MOVE);
            }
            // The history is built once, then restored before each incremental run. Runs use the very paths the
            // history was built with: the ingest ledger knows files by path, so a copy elsewhere would look new.
            // Written once the saved copies are complete: a build or copy cut short is redone, not reused.
            Path historySaved = dir.resolve("history-saved");
            if (!Files.isRegularFile(historySaved)) {
                Progress.line("bench", "%d customers: building the history (all but the last day)", customers);
                for (Path p : List.of(incLanding, incWh, savedLanding, savedWh)) {
                    LocalDirs.deleteRecursively(p);
                }
                // Landing files are never written after they arrive: links save copies of the raw data.
                LocalDirs.linkRecursively(drops.resolve("day-01"), incLanding);
                history = timedRun(spark, base.withPaths(incLanding.toString(), incWh.toString()), asOf.minusDays(1),
                        meter, stages, HISTORY, landingSize(incLanding)[0]).seconds();
                LocalDirs.linkRecursively(incLanding, savedLanding);
                LocalDirs.copyRecursively(incWh, savedWh);
                Files.writeString(historySaved, asOf.minusDays(1) + "\n");
            }
        }

        Path fullWh = dir.resolve("warehouse-full");
        List<Double> full = new ArrayList<>();
        for (int r = 1; r <= options.fullRuns(); r++) {
            Progress.line("bench", "%d customers: full run %d of %d", customers, r, options.fullRuns());
            LocalDirs.deleteRecursively(fullWh);
            Settings settings = base.withPaths(landing.toString(), fullWh.toString());
            full.add(timedRun(spark, settings, asOf, meter, stages, "", size[0]).seconds());
            meter.reset();
            long reportStart = System.nanoTime();
            Report.write(new Warehouse(spark, fullWh.toString()), settings, dir.resolve("report"));
            stages.computeIfAbsent(REPORT, StageAcc::new).add(seconds(reportStart), meter.peak());
        }

        List<Double> incremental = new ArrayList<>();
        Long incrementalFiles = null;
        if (options.incremental()) {
            for (int r = 1; r <= options.runs(); r++) {
                Progress.line("bench", "%d customers: incremental run %d of %d", customers, r, options.runs());
                LocalDirs.deleteRecursively(incLanding);
                LocalDirs.deleteRecursively(incWh);
                LocalDirs.linkRecursively(savedLanding, incLanding);
                LocalDirs.copyRecursively(savedWh, incWh);
                incrementalFiles = (long) DailyDrops.deliver(drops.resolve("day-02"), incLanding);
                TimedRun run = timedRun(spark, base.withPaths(incLanding.toString(), incWh.toString()), asOf, meter,
                        stages, INCREMENTAL, landingSize(drops.resolve("day-02"))[0]);
                if (run.summary().filesIngested() != incrementalFiles) {
                    throw new IllegalStateException("the incremental run ingested " + run.summary().filesIngested()
                            + " file(s), not the " + incrementalFiles + " of the new day");
                }
                incremental.add(run.seconds());
            }
        }

        // Without a full run, the last incremental run's warehouse holds the same data: compare from its silver.
        Path compared = full.isEmpty() ? incWh : fullWh;
        Comparison comparison = compare(spark, base, new Warehouse(spark, compared.toString()), asOf, options.runs(),
                meter, stages);
        List<Stage> result = stages.values().stream().map(StageAcc::stage).toList();
        return new SizeResult(customers, options.months(), asOf, size[0], size[1], result, full, history,
                incremental, incrementalFiles, comparison);
    }

    private record TimedRun(Nightly.Summary summary, double seconds) {}

    /**
     * One nightly run, each stage's time and peak memory added under {@code prefix} + stage; the run's time is the
     * sum of its stages'. {@code rawBytes} is what its ingest read.
     */
    private static TimedRun timedRun(SparkSession spark, Settings settings, LocalDate asOf, MemoryMeter meter,
                                     Map<String, StageAcc> stages, String prefix, long rawBytes) {
        meter.reset();
        StageTimer timer = new StageTimer(meter);
        Nightly.Summary s = Nightly.run(spark, settings, asOf, new Nightly.Options(Duration.ZERO, timer));
        requireSucceeded(s);
        timer.finish();
        long runTime = 0;
        for (Runs.Stage st : s.stages()) {
            StageAcc acc = stages.computeIfAbsent(prefix + st.stage(), StageAcc::new);
            acc.add(millis(st) / 1000.0, timer.peaks.getOrDefault(st.stage(), meter.peak()));
            boolean ingest = st.stage().equals(Nightly.INGEST);
            acc.rows = ingest ? Long.valueOf(s.read()) : Long.valueOf(st.rowsOut());
            if (ingest) {
                acc.bytes = rawBytes;
            }
            runTime += millis(st);
        }
        return new TimedRun(s, runTime / 1000.0);
    }

    private static Comparison compare(SparkSession spark, Settings settings, Warehouse wh, LocalDate asOf, int runs,
                                      MemoryMeter meter, Map<String, StageAcc> stages) throws SQLException {
        int threads = spark.sparkContext().defaultParallelism();
        DuckDbGold.SilverFiles files = GoldComparison.silverFiles(wh);
        // The engines' comparison takes seconds: always a median of at least three.
        runs = Math.max(COMPARISON_RUNS, runs);
        List<Double> duckTimes = new ArrayList<>();
        List<Double> sparkTimes = new ArrayList<>();
        DuckDbGold.Result duck = null;
        GoldComparison.Timed sparkGold = null;
        Map<String, long[]> silverRows;
        StageAcc duckStage = stages.computeIfAbsent("gold_compared_duckdb", StageAcc::new);
        StageAcc sparkStage = stages.computeIfAbsent("gold_compared_spark", StageAcc::new);
        try (Connection c = DuckDbGold.open(threads)) {
            silverRows = GoldComparison.silverCounts(wh, c, files);
            for (int r = 1; r <= runs; r++) {
                Progress.line("bench", "gold in DuckDB, run %d of %d", r, runs);
                meter.reset();
                duck = DuckDbGold.run(c, files, asOf, settings);
                duckTimes.add(duck.seconds());
                duckStage.add(duck.seconds(), meter.peak());
            }
        }
        // The settings a nightly's gold stage chooses for this silver (the session keeps the last run's otherwise).
        SparkSessions.fitToSilver(spark, settings.withPaths(settings.landing(), wh.root()));
        for (int r = 1; r <= runs; r++) {
            Progress.line("bench", "gold in Spark, run %d of %d", r, runs);
            meter.reset();
            sparkGold = GoldComparison.spark(wh, settings, asOf);
            sparkTimes.add(sparkGold.seconds());
            sparkStage.add(sparkGold.seconds(), meter.peak());
        }
        long silver = silverRows.values().stream().mapToLong(c -> c[0]).sum();
        duckStage.rows = silver;
        sparkStage.rows = silver;
        return new Comparison(GoldComparison.TABLES.stream().map(t -> t.table().toString()).toList(), sparkTimes,
                duckTimes, silverRows, GoldComparison.compare(GoldComparison.published(wh), duck.tables()),
                GoldComparison.compare(sparkGold.tables(), duck.tables()), threads);
    }

    private static boolean generate(SparkSession spark, Settings settings, Options options, int customers,
                                    Path landing) throws IOException {
        Path truth = landing.resolve("ground_truth.json");
        if (Files.isRegularFile(truth)) {
            JsonNode t = JSON.readTree(truth.toFile());
            if (t.path("customers").asInt() == customers && t.path("months").asInt() == options.months()
                    && t.path("seed").asLong() == options.seed()) {
                Progress.line("bench", "%d customers: reusing the business in %s", customers, landing);
                return false;
            }
        }
        Progress.line("bench", "%d customers: generating %d months into %s", customers, options.months(), landing);
        Generator.run(spark, new GeneratorOptions(landing.toString(), customers, options.months(),
                LocalDate.parse("2025-01-01"), options.seed(), null, GeneratorOptions.Helpdesk.ZENDESK,
                GeneratorOptions.Shop.SHOPIFY, GeneratorOptions.Billing.STRIPE, false),
                settings.analytics(), settings.identity());
        return true;
    }

    private static void requireSucceeded(Nightly.Summary s) {
        if (!Runs.SUCCEEDED.equals(s.status())) {
            throw new IllegalStateException("nightly run " + s.runId() + " ended " + s.status());
        }
    }

    private static long millis(Runs.Stage st) {
        return st.endedAt().getTime() - st.startedAt().getTime();
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    static double median(List<Double> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = xs.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    /** Bytes and files of raw exports (the generator's bookkeeping and ground truth left out). */
    public static long[] landingSize(Path landing) throws IOException {
        try (Stream<Path> walk = Files.walk(landing)) {
            long[] out = new long[2];
            walk.filter(Files::isRegularFile)
                    .filter(p -> !landing.relativize(p).toString().startsWith("_"))
                    .filter(p -> !p.getFileName().toString().equals("ground_truth.json"))
                    .forEach(p -> {
                        out[0] += p.toFile().length();
                        out[1]++;
                    });
            return out;
        }
    }

    /** Peak memory per nightly stage: the hook runs before each stage, so each stage's peak is read at the next. */
    private static final class StageTimer implements Nightly.StageHook {
        private final MemoryMeter meter;
        private final Map<String, MemoryMeter.Peak> peaks = new LinkedHashMap<>();
        private String current;

        StageTimer(MemoryMeter meter) {
            this.meter = meter;
        }

        @Override
        public void before(String stage) {
            if (stage.equals(Nightly.PUBLISH)) {
                return;
            }
            finish();
            current = stage;
            meter.reset();
        }

        void finish() {
            if (current != null) {
                peaks.put(current, meter.peak());
                current = null;
            }
        }
    }

    private static final class StageAcc {
        final String stage;
        final List<Double> seconds = new ArrayList<>();
        Long rows;
        Long bytes;
        long heapMb;
        Long rssMb;

        StageAcc(String stage) {
            this.stage = stage;
        }

        void add(double secs, MemoryMeter.Peak peak) {
            seconds.add(secs);
            heapMb = Math.max(heapMb, peak.heapMb());
            if (peak.rssMb() != null) {
                rssMb = rssMb == null ? peak.rssMb() : Math.max(rssMb, peak.rssMb());
            }
        }

        Stage stage() {
            return new Stage(stage, List.copyOf(seconds), rows, bytes, heapMb, rssMb);
        }
    }
}
