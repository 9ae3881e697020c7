package io.supportroi.cli;

import io.supportroi.bench.Bench;
import io.supportroi.bench.BenchResults;
import io.supportroi.config.Settings;
import io.supportroi.ops.SparkSessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark (SPEC §7): generate (or reuse) businesses, time every stage of full and incremental"
                + " nightly runs, compute the compared gold tables in Spark and in DuckDB from the same silver"
                + " snapshot and check that they agree. Exit code 1 when the engines disagree.")
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--customers", split = ",", defaultValue = "10000", paramLabel = "N[,N...]",
            description = "business sizes (default ${DEFAULT-VALUE})")
    List<Integer> customers;

    @Option(names = "--months", defaultValue = "12", description = "months of history (default ${DEFAULT-VALUE})")
    int months;

    @Option(names = "--seed", defaultValue = "42", description = "default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--runs", defaultValue = "3", description = "runs per timing; medians are quoted (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--full-runs", paramLabel = "N",
            description = "full runs per size (default: --runs); 0 times the history's full build instead and"
                    + " compares the engines on the incremental warehouse")
    Integer fullRuns;

    @Option(names = "--workdir", defaultValue = "bench", paramLabel = "DIR",
            description = "where businesses and warehouses go; generated businesses are reused (default ./${DEFAULT-VALUE})")
    File workdir;

    @Option(names = "--out", defaultValue = "bench-results.json", paramLabel = "FILE",
            description = "JSON results (default ./${DEFAULT-VALUE})")
    File out;

    // A plain flag: picocli's negatable form with a default of true left the incremental runs on.
    @Option(names = "--no-incremental", description = "skip the incremental runs (one new day on top of the rest of"
            + " the history)")
    boolean noIncremental;

    @Override
    public Integer call() throws IOException {
        Arguments.atLeastOne("--runs", runs);
        Arguments.atLeastOne("--months", months);
        customers.forEach(c -> Arguments.atLeastOne("--customers", c));
        int full = fullRuns == null ? runs : fullRuns;
        Arguments.notNegative("--full-runs", full);
        if (full == 0 && noIncremental) {
            throw new UsageException("--full-runs 0 needs the incremental runs, which --no-incremental turns off");
        }
        Settings settings = common.settings(null, null);
        // Every check that can fail without touching the disk comes before the one that creates --workdir.
        Path resultsFile = out.toPath().toAbsolutePath();
        if (Files.isDirectory(resultsFile)) {
            throw new UsageException("--out " + out + " is a folder; it names the results' JSON file");
        }
        Folders.writable("--workdir", workdir.getPath());
        Folders.writable("--out's folder", resultsFile.getParent().toString());
        SparkSession spark = SparkSessions.create(settings, "supportroi-bench");
        List<Bench.SizeResult> results = Bench.run(spark, settings,
                new Bench.Options(workdir.toPath(), customers, months, seed, runs, full, !noIncremental));
        BenchResults.Machine machine = BenchResults.Machine.current();
        BenchResults.print(results, machine, runs, System.out);
        BenchResults.writeJson(results, machine, runs, out.toPath());
        System.out.println();
        System.out.println("Results: " + out.toPath().toAbsolutePath());
        return results.stream().allMatch(r -> r.comparison().same()) ? Main.OK : Main.FAILED;
    }
}
