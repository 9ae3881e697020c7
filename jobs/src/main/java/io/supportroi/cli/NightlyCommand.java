package io.supportroi.cli;

import io.supportroi.config.Settings;
import io.supportroi.ops.Nightly;
import io.supportroi.ops.Runs;
import io.supportroi.ops.SparkSessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.Callable;

@Command(name = "nightly", mixinStandardHelpOptions = true,
        description = "Ingest new landing files, then build silver and gold. Re-running the same night changes nothing.")
public final class NightlyCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    RunOptions run;

    @Option(names = "--as-of", paramLabel = "YYYY-MM-DD",
            description = "date the analytics are computed for (default: the latest event in the data)")
    LocalDate asOf;

    @Override
    public Integer call() {
        Duration lockWait = run.lockWait();
        Settings settings = common.settings(run.landing, run.warehouse);
        RunOptions.checkFolders(settings);
        SparkSession spark = SparkSessions.create(settings, "supportroi-nightly");
        Nightly.Summary s = Nightly.run(spark, settings, asOf,
                Nightly.Options.DEFAULT.withLockWait(lockWait));
        printSummary(s, System.out);
        return Nightly.GATE_FAILED.equals(s.status()) ? Main.QUALITY_GATE_FAILED : Main.OK;
    }

    static void printSummary(Nightly.Summary s, PrintStream out) {
        out.printf("run %s %s in %d s (as-of %s)%n", s.runId(), s.status(), s.seconds(), s.asOf());
        out.printf("  files ingested: %d   duplicates skipped: %d   rows read: %d   written: %d   quarantined: %d%n",
                s.filesIngested(), s.duplicateFiles(), s.read(), s.written(), s.quarantined());
        StringBuilder stages = new StringBuilder("  stages:");
        for (Runs.Stage st : s.stages()) {
            stages.append(String.format("  %s %s %.1f s", st.stage(), st.status(),
                    (st.endedAt().getTime() - st.startedAt().getTime()) / 1000.0));
        }
        out.println(stages);
        int w = s.counts().stream().mapToInt(c -> c.table().length()).max().orElse(5);
        out.printf("  %-" + w + "s %12s %12s %12s%n", "table", "read", "written", "quarantined");
        for (Runs.TableCount c : s.counts()) {
            out.printf("  %-" + w + "s %12d %12d %12d%n", c.table(), c.read(), c.written(), c.quarantined());
        }
        boolean header = false;
        for (io.supportroi.model.Unmatched.Count u : s.unmatched()) {
            if (u.unmatched() == 0) {
                continue;
            }
            if (!header) {
                out.println("  not tied to a customer or order:");
                header = true;
            }
            out.printf("    %s from %s: %d of %d%n", u.table(), u.source(), u.unmatched(), u.records());
        }
    }
}
