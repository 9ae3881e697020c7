package io.supportroi.cli;

import io.supportroi.config.Settings;
import io.supportroi.ops.Nightly;
import io.supportroi.ops.Runs;
import io.supportroi.ops.SparkSessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = "Recompute history: one nightly run per day from --from to --to, in order, each as "
                + "'nightly --as-of' that day. Gold ends as of --to; each day's worklists are exported under its date.")
public final class BackfillCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    RunOptions run;

    @Option(names = "--from", paramLabel = "YYYY-MM-DD", required = true, description = "first as-of date")
    LocalDate from;

    @Option(names = "--to", paramLabel = "YYYY-MM-DD", required = true, description = "last as-of date (inclusive)")
    LocalDate to;

    @Override
    public Integer call() {
        // Checked before Spark starts; Nightly.backfill checks it too, for callers other than this command.
        if (to.isBefore(from)) {
            throw new UsageException("--from " + from + " is after --to " + to);
        }
        Duration lockWait = run.lockWait();
        Settings settings = common.settings(run.landing, run.warehouse);
        RunOptions.checkFolders(settings);
        SparkSession spark = SparkSessions.create(settings, "supportroi-backfill");
        List<Nightly.Summary> runs = Nightly.backfill(spark, settings, from, to,
                Nightly.Options.DEFAULT.withLockWait(lockWait));
        for (Nightly.Summary s : runs) {
            System.out.printf("as-of %s: run %s %s in %d s, %d file(s) ingested%n", s.asOf(), s.runId(), s.status(),
                    s.seconds(), s.filesIngested());
        }
        Nightly.Summary last = runs.get(runs.size() - 1);
        long days = java.time.temporal.ChronoUnit.DAYS.between(from, to) + 1;
        long succeeded = runs.stream().filter(s -> Runs.SUCCEEDED.equals(s.status())).count();
        System.out.printf("backfill %s..%s: %d of %d day(s) succeeded%n", from, to, succeeded, days);
        if (Nightly.GATE_FAILED.equals(last.status())) {
            return Main.QUALITY_GATE_FAILED;
        }
        return succeeded == days ? Main.OK : Main.FAILED;
    }
}
