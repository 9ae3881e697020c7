package io.supportroi.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's results as a text table and as {@code bench-results.json}, with the machine they ran on. */
public final class BenchResults {
    private BenchResults() {}

    /** Issue 8's goals: gold within 1.5× DuckDB's time, an incremental night within 25% of a full rebuild. */
    public static final double GOLD_RATIO_GOAL = 1.5;
    public static final double INCREMENTAL_SHARE_GOAL = 0.25;

    public record Machine(int cores, long memoryMb, String cpu, String os, String java, long maxHeapMb) {
        public static Machine current() {
            long memory = 0;
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                memory = os.getTotalMemorySize() >> 20;
            }
            return new Machine(Runtime.getRuntime().availableProcessors(), memory, cpuModel(),
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                            + System.getProperty("os.arch"),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                    Runtime.getRuntime().maxMemory() >> 20);
        }

        private static String cpuModel() {
            try {
                return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                        .filter(l -> l.startsWith("model name")).findFirst()
                        .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
            } catch (IOException e) {
                return "unknown";
            }
        }
    }

    public static void print(List<Bench.SizeResult> results, Machine machine, int runs, PrintStream out) {
        out.printf(Locale.ROOT, "Machine: %d cores, %.1f GiB, %s; JVM heap max %.1f GiB; medians of %d run(s)%n",
                machine.cores(), machine.memoryMb() / 1024.0, machine.cpu(), machine.maxHeapMb() / 1024.0, runs);
        for (Bench.SizeResult r : results) {
            out.printf(Locale.ROOT, "%n%,d customers, %d months (as of %s): %,d raw files, %.1f MB%n", r.customers(),
                    r.months(), r.asOf(), r.landingFiles(), r.landingBytes() / 1e6);
            out.printf(Locale.ROOT, "  %-22s %10s %10s %14s %10s %12s %12s%n", "stage", "median s", "runs",
                    "rows/s", "raw MB/s", "peak heap MB", "peak RSS MB");
            for (Bench.Stage s : r.stages()) {
                out.printf(Locale.ROOT, "  %-22s %10.1f %10d %14s %10s %12d %12s%n", s.stage(), s.median(),
                        s.seconds().size(), s.rowsPerSecond() == null ? "" : String.format(Locale.ROOT, "%,.0f",
                                s.rowsPerSecond()),
                        s.megabytesPerSecond() == null ? "" : String.format(Locale.ROOT, "%.1f", s.megabytesPerSecond()),
                        s.peakHeapMb(), s.peakRssMb() == null ? "" : s.peakRssMb().toString());
            }
            out.println("  (peak heap counts garbage not yet collected; peak RSS is the whole process, which keeps the"
                    + " heap it has touched)");
            if (!r.fullRunSeconds().isEmpty()) {
                out.printf(Locale.ROOT, "  full nightly run: median %.1f s %s%n", Bench.median(r.fullRunSeconds()),
                        r.fullRunSeconds());
            }
            if (r.historySeconds() != null) {
                out.printf(Locale.ROOT, "  history build (full run of all but the last day): %.1f s%n",
                        r.historySeconds());
            }
            if (r.incrementalShare() != null) {
                out.printf(Locale.ROOT, "  incremental night (%d new file(s) for the last day): median %.1f s %s = %.0f%%"
                                + " of %s (goal <= %.0f%%: %s)%n", r.incrementalFiles(),
                        Bench.median(r.incrementalSeconds()), r.incrementalSeconds(), 100 * r.incrementalShare(),
                        r.comparedWithHistory() ? "the history's full build" : "a full run",
                        100 * INCREMENTAL_SHARE_GOAL, r.incrementalShare() <= INCREMENTAL_SHARE_GOAL ? "met" : "not met");
            }
            Bench.Comparison c = r.comparison();
            out.printf(Locale.ROOT, "  gold tables in both engines (%s), %d thread(s) each:%n",
                    String.join(", ", c.tables()), c.threads());
            out.printf(Locale.ROOT, "    Spark median %.2f s %s, DuckDB median %.2f s %s: Spark/DuckDB = %.2f"
                            + " (goal <= %.1f: %s)%n", Bench.median(c.sparkSeconds()), c.sparkSeconds(),
                    Bench.median(c.duckdbSeconds()), c.duckdbSeconds(), c.ratio(), GOLD_RATIO_GOAL,
                    c.ratio() <= GOLD_RATIO_GOAL ? "met" : "not met");
            for (Map.Entry<String, long[]> e : c.silverRows().entrySet()) {
                out.printf(Locale.ROOT, "    %s: %,d rows in Spark, %,d in the Parquet files DuckDB read%s%n",
                        e.getKey(), e.getValue()[0], e.getValue()[1],
                        e.getValue()[0] == e.getValue()[1] ? "" : "  DIFFERENT");
            }
            printDiffs("published gold vs DuckDB", c.publishedVsDuckdb(), out);
            printDiffs("Spark recomputed vs DuckDB", c.sparkVsDuckdb(), out);
            out.printf("  equality check: %s%n", c.same() ? "SAME numbers (money to the cent, rates to 1e-9)"
                    : "DIFFERENT");
        }
    }

    private static void printDiffs(String label, Map<String, TableDiff.Result> diffs, PrintStream out) {
        for (Map.Entry<String, TableDiff.Result> d : diffs.entrySet()) {
            out.printf(Locale.ROOT, "    %s, %s: %d row(s), %d difference(s)%n", label, d.getKey(), d.getValue().rows(),
                    d.getValue().differences());
            d.getValue().listed().forEach(l -> out.println("      " + l));
        }
    }

    public static void writeJson(List<Bench.SizeResult> results, Machine machine, int runs, Path file)
            throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("written_at", Instant.now().toString());
        ObjectNode m = root.putObject("machine");
        m.put("cores", machine.cores());
        m.put("memory_mb", machine.memoryMb());
        m.put("cpu", machine.cpu());
        m.put("os", machine.os());
        m.put("java", machine.java());
        m.put("jvm_max_heap_mb", machine.maxHeapMb());
        root.put("spark_version", org.apache.spark.package$.MODULE$.SPARK_VERSION());
        root.put("runs_per_timing", runs);
        ObjectNode goals = root.putObject("goals");
        goals.put("gold_spark_over_duckdb_max", GOLD_RATIO_GOAL);
        goals.put("incremental_share_of_full_max", INCREMENTAL_SHARE_GOAL);
        root.put("memory_note", "peak_heap_mb counts garbage not yet collected; peak_rss_mb is the whole process,"
                + " which keeps the heap it has touched");
        ArrayNode sizes = root.putArray("sizes");
        for (Bench.SizeResult r : results) {
            ObjectNode s = sizes.addObject();
            s.put("customers", r.customers());
            s.put("months", r.months());
            s.put("as_of", r.asOf().toString());
            s.put("raw_bytes", r.landingBytes());
            s.put("raw_files", r.landingFiles());
            ArrayNode stages = s.putArray("stages");
            for (Bench.Stage st : r.stages()) {
                ObjectNode o = stages.addObject();
                o.put("stage", st.stage());
                o.put("median_seconds", st.median());
                st.seconds().forEach(o.putArray("seconds")::add);
                o.put("rows", st.rows());
                o.put("rows_per_second", st.rowsPerSecond());
                o.put("raw_mb_per_second", st.megabytesPerSecond());
                o.put("peak_heap_mb", st.peakHeapMb());
                o.put("peak_rss_mb", st.peakRssMb());
            }
            ObjectNode full = s.putObject("full_run");
            full.put("median_seconds", r.fullRunSeconds().isEmpty() ? null : Bench.median(r.fullRunSeconds()));
            r.fullRunSeconds().forEach(full.putArray("seconds")::add);
            s.put("history_build_seconds", r.historySeconds());
            ObjectNode inc = s.putObject("incremental_run");
            inc.put("new_files", r.incrementalFiles());
            inc.put("median_seconds", r.incrementalSeconds().isEmpty() ? null : Bench.median(r.incrementalSeconds()));
            r.incrementalSeconds().forEach(inc.putArray("seconds")::add);
            inc.put("share_of_full", r.incrementalShare());
            inc.put("compared_with", r.incrementalShare() == null ? null
                    : r.comparedWithHistory() ? "history_build" : "full_run");
            inc.put("goal_met", r.incrementalShare() == null ? null : r.incrementalShare() <= INCREMENTAL_SHARE_GOAL);
            Bench.Comparison c = r.comparison();
            ObjectNode g = s.putObject("gold_comparison");
            c.tables().forEach(g.putArray("tables")::add);
            g.put("threads", c.threads());
            g.put("spark_median_seconds", Bench.median(c.sparkSeconds()));
            c.sparkSeconds().forEach(g.putArray("spark_seconds")::add);
            g.put("duckdb_median_seconds", Bench.median(c.duckdbSeconds()));
            c.duckdbSeconds().forEach(g.putArray("duckdb_seconds")::add);
            g.put("spark_over_duckdb", c.ratio());
            g.put("goal_met", c.ratio() <= GOLD_RATIO_GOAL);
            g.put("same_numbers", c.same());
            ObjectNode silver = g.putObject("silver_rows");
            c.silverRows().forEach((t, n) -> {
                ObjectNode o = silver.putObject(t);
                o.put("spark", n[0]);
                o.put("duckdb", n[1]);
            });
            ObjectNode diffs = g.putObject("differences");
            c.publishedVsDuckdb().forEach((t, d) -> diffs.put("published_vs_duckdb " + t, d.differences()));
            c.sparkVsDuckdb().forEach((t, d) -> diffs.put("spark_vs_duckdb " + t, d.differences()));
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        json.writeValue(file.toFile(), root);
    }
}
