package io.supportroi.cli;

import io.supportroi.config.Settings;
import io.supportroi.generate.GeneratorOptions;
import io.supportroi.ops.SparkSessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate a business into DIR/landing, run the nightly pipeline into DIR/warehouse, print the results,"
                + " write the report to DIR/report and execute the notebooks into DIR/notebooks.")
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--workdir", defaultValue = "demo", paramLabel = "DIR", description = "default ./${DEFAULT-VALUE}")
    File workdir;

    @Option(names = "--customers", defaultValue = "20000", description = "default ${DEFAULT-VALUE}")
    int customers;

    @Option(names = "--seed", defaultValue = "42", description = "default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--helpdesk", defaultValue = "zendesk", paramLabel = "zendesk|gorgias|both|csv",
            description = "helpdesk the generated tickets come from (default ${DEFAULT-VALUE})")
    String helpdesk;

    @Option(names = "--shop", defaultValue = "shopify", paramLabel = "shopify|csv",
            description = "shop export the generated orders come in (default ${DEFAULT-VALUE})")
    String shop;

    @Option(names = "--billing", defaultValue = "stripe", paramLabel = "stripe|csv",
            description = "billing export the generated subscriptions come in (default ${DEFAULT-VALUE})")
    String billing;

    @Option(names = "--dirty", description = "generate exports with duplicates, messy values and broken records")
    boolean dirty;

    @Override
    public Integer call() throws IOException {
        Arguments.atLeastOne("--customers", customers);
        Path notebooks = Path.of(System.getProperty(NotebooksCommand.HOME_PROPERTY, "."), "notebooks");
        Demo.Options options = new Demo.Options(workdir.toPath().toAbsolutePath(), customers, seed,
                GeneratorOptions.Helpdesk.parse(helpdesk), GeneratorOptions.Shop.parse(shop),
                GeneratorOptions.Billing.parse(billing), dirty,
                Files.isDirectory(notebooks) ? notebooks.toAbsolutePath() : null);
        Settings settings = common.settings(options.landing().toString(), options.warehouse().toString());
        Folders.writable("--workdir", workdir.getPath());
        SparkSession spark = SparkSessions.create(settings, "supportroi-demo");
        return Demo.run(spark, settings, options, System.out, System.err).code();
    }
}
