package io.supportroi.cli;

import io.supportroi.config.Settings;
import io.supportroi.ops.Progress;
import io.supportroi.ops.SparkSessions;
import io.supportroi.ops.Warehouse;
import io.supportroi.report.Report;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write one self-contained HTML page (works offline) with the headline answer and every chart.")
public final class ReportCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    WarehouseOption warehouse;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder to write index.html into")
    File out;

    @Override
    public Integer call() throws IOException {
        Settings settings = common.settings(null, warehouse.warehouse);
        WarehouseOption.checkExists(settings.warehouse());
        Folders.writable("--out", out.getPath());
        SparkSession spark = SparkSessions.create(settings, "supportroi-report");
        Path page = Report.write(new Warehouse(spark, settings.warehouse()), settings, out.toPath().toAbsolutePath());
        Progress.line("report", "written");
        System.out.println(page);
        return Main.OK;
    }
}
