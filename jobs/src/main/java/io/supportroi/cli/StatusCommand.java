package io.supportroi.cli;

import io.supportroi.config.Settings;
import io.supportroi.ops.Progress;
import io.supportroi.ops.RunLock;
import io.supportroi.ops.SparkSessions;
import io.supportroi.ops.Status;
import io.supportroi.ops.Warehouse;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the last runs, every table's freshness and whether a run holds the warehouse.")
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    WarehouseOption warehouse;

    @Option(names = "--runs", defaultValue = "10", description = "how many recent runs to list (default ${DEFAULT-VALUE})")
    int runs;

    @Override
    public Integer call() {
        Arguments.atLeastOne("--runs", runs);
        Settings settings = common.settings(null, warehouse.warehouse);
        WarehouseOption.checkExists(settings.warehouse());
        Progress.setQuiet(true);
        SparkSession spark = SparkSessions.create(settings, "supportroi-status");
        Warehouse wh = new Warehouse(spark, settings.warehouse());
        RunLock.Holder holder = RunLock.holder(wh);
        System.out.println("warehouse " + wh.root() + ": "
                + (holder == null ? "idle" : "busy, " + holder.describe() + " is running"));
        System.out.println();
        System.out.println("last runs:");
        TablePrinter.print(Status.recentRuns(wh, runs), TablePrinter.Format.TABLE, runs, System.out);
        System.out.println();
        System.out.println("tables:");
        TablePrinter.print(Status.freshness(wh), TablePrinter.Format.TABLE, Integer.MAX_VALUE, System.out);
        return Main.OK;
    }
}
