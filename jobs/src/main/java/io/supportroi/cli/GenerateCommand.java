package io.supportroi.cli;

import io.supportroi.config.Settings;
import io.supportroi.generate.Generator;
import io.supportroi.generate.GeneratorOptions;
import io.supportroi.generate.GeneratorSummary;
import io.supportroi.ops.Progress;
import io.supportroi.ops.SparkSessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.LocalDate;
import java.util.concurrent.Callable;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Simulate a subscription business and write its raw exports plus ground_truth.json.")
public final class GenerateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "landing folder to write")
    String out;

    @Option(names = "--customers", defaultValue = "20000", description = "customers to simulate (default ${DEFAULT-VALUE})")
    int customers;

    @Option(names = "--months", defaultValue = "12", description = "months to simulate (default ${DEFAULT-VALUE})")
    int months;

    @Option(names = "--start", defaultValue = "2025-01-01", paramLabel = "YYYY-MM-DD",
            description = "first simulated day (default ${DEFAULT-VALUE})")
    LocalDate start;

    @Option(names = "--seed", defaultValue = "42", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--effects", paramLabel = "FILE", description = "JSON overriding the planted effects")
    String effects;

    @Override
    public Integer call() throws Exception {
        if (customers <= 0 || months <= 0) {
            throw new IllegalArgumentException("--customers and --months must be positive");
        }
        Settings settings = common.settings(null, null);
        SparkSession spark = SparkSessions.create(settings, "supportroi-generate");
        GeneratorSummary summary = Generator.run(spark,
                new GeneratorOptions(out, customers, months, start, seed, effects), settings.analytics());
        Progress.line("generate", "done");
        System.out.println(summary);
        return Main.OK;
    }
}
