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

    @Option(names = "--helpdesk", defaultValue = "zendesk", paramLabel = "zendesk|gorgias|both|csv",
            description = "helpdesk the tickets are exported from; both = Zendesk before the middle of the period, "
                    + "Gorgias after it; csv = the canonical tickets CSV (default ${DEFAULT-VALUE})")
    String helpdesk;

    @Option(names = "--shop", defaultValue = "shopify", paramLabel = "shopify|csv",
            description = "shop the orders are exported from; csv = the canonical orders CSV "
                    + "(default ${DEFAULT-VALUE})")
    String shop;

    @Option(names = "--billing", defaultValue = "stripe", paramLabel = "stripe|csv",
            description = "billing system the subscriptions come from; csv = the canonical billing CSV "
                    + "(default ${DEFAULT-VALUE})")
    String billing;

    @Option(names = "--dirty", description = "write the exports the way real ones arrive: duplicates, re-sent "
            + "tickets, messy emails and timestamps, broken records (listed in ground_truth.json)")
    boolean dirty;

    @Override
    public Integer call() throws Exception {
        Arguments.atLeastOne("--customers", customers);
        Arguments.atLeastOne("--months", months);
        GeneratorOptions options;
        try {
            options = new GeneratorOptions(out, customers, months, start, seed, effects,
                    GeneratorOptions.Helpdesk.parse(helpdesk), GeneratorOptions.Shop.parse(shop),
                    GeneratorOptions.Billing.parse(billing), dirty);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        if (effects != null) {
            Folders.existingFile("--effects", effects);
        }
        Settings settings = common.settings(null, null);
        Folders.writable("--out", out);
        SparkSession spark = SparkSessions.create(settings, "supportroi-generate");
        GeneratorSummary summary = Generator.run(spark, options, settings.analytics(), settings.identity());
        Progress.line("generate", "done");
        System.out.println(summary);
        return Main.OK;
    }
}
