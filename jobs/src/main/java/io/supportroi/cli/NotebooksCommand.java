package io.supportroi.cli;

import io.supportroi.config.Settings;
import io.supportroi.ops.Progress;
import io.supportroi.ops.SparkSessions;
import io.supportroi.ops.Warehouse;
import io.supportroi.report.Notebooks;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "notebooks", mixinStandardHelpOptions = true,
        description = "Execute every notebook headless against the warehouse and write the executed copies.")
public final class NotebooksCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    WarehouseOption warehouse;

    @Option(names = "--notebooks", paramLabel = "DIR",
            description = "folder of .ipynb files (default: the project's notebooks/)")
    File notebooks;

    @Option(names = "--out", defaultValue = "notebooks-executed", paramLabel = "DIR",
            description = "folder for the executed copies (default ./${DEFAULT-VALUE})")
    File out;

    /** Set by bin/supportroi to the project folder, where notebooks/ is. */
    static final String HOME_PROPERTY = "supportroi.home";

    @Override
    public Integer call() throws IOException {
        Settings settings = common.settings(null, warehouse.warehouse);
        WarehouseOption.checkExists(settings.warehouse());
        Path source = notebooks != null ? notebooks.toPath()
                : Path.of(System.getProperty(HOME_PROPERTY, "."), "notebooks");
        Folders.existing("--notebooks", source.toString());
        Folders.writable("--out", out.getPath());
        SparkSession spark = SparkSessions.create(settings, "supportroi-notebooks");
        Notebooks.Result result = Notebooks.run(spark, new Warehouse(spark, settings.warehouse()),
                source.toAbsolutePath(), out.toPath().toAbsolutePath());
        Progress.line("notebooks", "%d notebook(s), %d cell(s) executed, %d failed", result.written().size(),
                result.cells(), result.failures().size());
        result.written().forEach(System.out::println);
        if (!result.failures().isEmpty()) {
            result.failures().forEach(f -> System.err.println("supportroi: notebook cell failed: " + f));
            return Main.FAILED;
        }
        return Main.OK;
    }
}
