package io.supportroi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.supportroi.analytics.AgentVsChurn;
import io.supportroi.analytics.ChannelVsLoyalty;
import io.supportroi.analytics.ResolutionTimeRetentionStats;
import io.supportroi.analytics.ResolutionTimeVsRetention;
import io.supportroi.analytics.pnl.PassiveChurnRecoveryMonthly;
import io.supportroi.analytics.pnl.SupportKpisMonthly;
import io.supportroi.analytics.pnl.SupportPnlMonthly;
import io.supportroi.analytics.pnl.UpsellCampaignMonthly;
import io.supportroi.config.Settings;
import io.supportroi.report.Notebooks;
import io.supportroi.generate.Generator;
import io.supportroi.generate.GeneratorOptions;
import io.supportroi.ops.LocalDirs;
import io.supportroi.ops.Nightly;
import io.supportroi.ops.Progress;
import io.supportroi.ops.SparkSessions;
import io.supportroi.ops.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static org.apache.spark.sql.functions.col;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate a business into DIR/landing, run the nightly pipeline into DIR/warehouse, print the results"
                + " and write the report to DIR/report.")
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

    /** More months than a demo business spans. */
    private static final int MAX_MONTHS = 60;

    @Override
    public Integer call() throws IOException {
        GeneratorOptions.Helpdesk helpdeskChoice = GeneratorOptions.Helpdesk.parse(helpdesk);
        GeneratorOptions.Shop shopChoice = GeneratorOptions.Shop.parse(shop);
        GeneratorOptions.Billing billingChoice = GeneratorOptions.Billing.parse(billing);
        Path landing = workdir.toPath().resolve("landing").toAbsolutePath();
        Path warehouse = workdir.toPath().resolve("warehouse").toAbsolutePath();
        Settings settings = common.settings(landing.toString(), warehouse.toString());
        SparkSession spark = SparkSessions.create(settings, "supportroi-demo");

        Progress.line("demo", "generating %d customers into %s", customers, landing);
        System.out.println(Generator.run(spark, new GeneratorOptions(landing.toString(), customers, 12,
                LocalDate.parse("2025-01-01"), seed, null, helpdeskChoice, shopChoice, billingChoice, dirty),
                settings.analytics(),
                settings.identity()));
        JsonNode truth = new ObjectMapper().readTree(landing.resolve("ground_truth.json").toFile());
        LocalDate asOf = LocalDate.parse(truth.get("end").asText());

        // A demo warehouse belongs to the demo's business: a fresh business gets a fresh warehouse.
        LocalDirs.deleteRecursively(warehouse);
        Nightly.Summary summary = Nightly.run(spark, settings, asOf);
        NightlyCommand.printSummary(summary, System.out);
        if (Nightly.GATE_FAILED.equals(summary.status())) {
            System.err.println("supportroi: a data-quality gate failed on the generated data; see ops.quality_results");
            return Main.QUALITY_GATE_FAILED;
        }

        Warehouse wh = new Warehouse(spark, warehouse.toString());
        System.out.println();
        System.out.println("gold.resolution_time_vs_retention (retention " + settings.analytics().retentionHorizonDays()
                + " days after the ticket, as of " + asOf + "), with the rate the generator planted:");
        Dataset<Row> table = wh.read(ResolutionTimeVsRetention.TABLE)
                .join(planted(spark, truth), io.supportroi.ops.Seqs.of(
                        ResolutionTimeVsRetention.METRIC, ResolutionTimeVsRetention.BUCKET_ORDER), "left")
                .orderBy(col(ResolutionTimeVsRetention.METRIC).desc(), col(ResolutionTimeVsRetention.BUCKET_ORDER))
                .select(ResolutionTimeVsRetention.METRIC, ResolutionTimeVsRetention.BUCKET,
                        ResolutionTimeVsRetention.TICKETS, ResolutionTimeVsRetention.CUSTOMERS,
                        ResolutionTimeVsRetention.RETENTION_RATE, ResolutionTimeVsRetention.CI_LOW,
                        ResolutionTimeVsRetention.CI_HIGH, "planted_retention",
                        ResolutionTimeVsRetention.REVENUE_PER_TICKET_H, ResolutionTimeVsRetention.LIFT_VS_FASTEST);
        TablePrinter.print(table, TablePrinter.Format.TABLE, 100, System.out);
        System.out.println();
        System.out.println("gold.resolution_time_retention_stats:");
        TablePrinter.print(wh.read(ResolutionTimeRetentionStats.TABLE), TablePrinter.Format.TABLE, 10, System.out);
        System.out.println();
        System.out.println("gold.agent_vs_churn:");
        TablePrinter.print(wh.read(AgentVsChurn.TABLE), TablePrinter.Format.TABLE, 50, System.out);
        System.out.println();
        System.out.println("gold.channel_vs_loyalty:");
        TablePrinter.print(wh.read(ChannelVsLoyalty.TABLE).drop(ChannelVsLoyalty.CUSTOMERS_180D,
                ChannelVsLoyalty.REPEAT_CUSTOMERS), TablePrinter.Format.TABLE, 20, System.out);
        System.out.println();
        printPnl(wh, truth);
        System.out.println();
        Path report = io.supportroi.report.Report.write(wh, settings, workdir.toPath().resolve("report").toAbsolutePath());
        System.out.println("Report: " + report);
        Path notebooks = Path.of(System.getProperty(NotebooksCommand.HOME_PROPERTY, "."), "notebooks");
        if (Files.isDirectory(notebooks)) {
            Notebooks.Result executed = Notebooks.run(spark, wh, notebooks.toAbsolutePath(),
                    workdir.toPath().resolve("notebooks").toAbsolutePath());
            System.out.println("Notebooks: " + executed.written().size() + " executed into "
                    + workdir.toPath().resolve("notebooks").toAbsolutePath() + ", " + executed.cells() + " cells, "
                    + executed.failures().size() + " failed");
            if (!executed.failures().isEmpty()) {
                executed.failures().forEach(f -> System.err.println("supportroi: notebook cell failed: " + f));
                return Main.FAILED;
            }
        }
        System.out.println("Query it:  bin/supportroi sql --warehouse " + warehouse
                + " \"SELECT * FROM gold.resolution_time_vs_retention\"");
        return Main.OK;
    }

    /** The support P&L, a verdict per month, and the campaign tables next to the rates the generator planted. */
    private static void printPnl(Warehouse wh, JsonNode truth) {
        System.out.println("gold.support_pnl_monthly:");
        Dataset<Row> pnl = wh.read(SupportPnlMonthly.TABLE).orderBy(SupportPnlMonthly.MONTH_START)
                .select(SupportPnlMonthly.MONTH, SupportPnlMonthly.STAFF_COST, SupportPnlMonthly.PLATFORM_COST,
                        SupportPnlMonthly.REFUND_SHARE_COST, SupportPnlMonthly.UPSELL_REVENUE,
                        SupportPnlMonthly.WINBACK_REVENUE, SupportPnlMonthly.DISCOUNT_CODE_REVENUE,
                        SupportPnlMonthly.CLAIMS_RECOVERED, SupportPnlMonthly.COGS,
                        SupportPnlMonthly.SUPPORT_GROSS_PROFIT, SupportPnlMonthly.TOTAL_COST,
                        SupportPnlMonthly.NET_PROFIT, SupportPnlMonthly.IS_PROFIT_CENTER);
        TablePrinter.print(pnl, TablePrinter.Format.TABLE, MAX_MONTHS, System.out);
        // One row per month of the period: a few dozen rows at most.
        for (Row r : pnl.limit(MAX_MONTHS).collectAsList()) {
            boolean profit = r.<Boolean>getAs(SupportPnlMonthly.IS_PROFIT_CENTER);
            System.out.printf("%s: support was a %s (net %s)%n", r.<String>getAs(SupportPnlMonthly.MONTH),
                    profit ? "profit center" : "cost center",
                    r.<BigDecimal>getAs(SupportPnlMonthly.NET_PROFIT).toPlainString());
        }
        JsonNode effects = truth.path("effects");
        System.out.println();
        System.out.println("gold.upsell_campaign_monthly (planted conversion rate "
                + effects.path("upsell_conversion_rate").asText("?") + "):");
        TablePrinter.print(wh.read(UpsellCampaignMonthly.TABLE).drop(UpsellCampaignMonthly.MONTH_START),
                TablePrinter.Format.TABLE, MAX_MONTHS, System.out);
        System.out.println();
        System.out.println("gold.passive_churn_recovery_monthly (planted dunning recovery "
                + effects.path("dunning_recovery_rate").asText("?") + ", support recovery "
                + effects.path("support_recovery_rate").asText("?") + "):");
        TablePrinter.print(wh.read(PassiveChurnRecoveryMonthly.TABLE).drop(PassiveChurnRecoveryMonthly.MONTH_START),
                TablePrinter.Format.TABLE, MAX_MONTHS, System.out);
        System.out.println();
        System.out.println("gold.support_kpis_monthly:");
        TablePrinter.print(wh.read(SupportKpisMonthly.TABLE).drop(SupportKpisMonthly.MONTH_START,
                        SupportKpisMonthly.FIRST_RESPONSE_TARGET_MET, SupportKpisMonthly.CSAT_TARGET_MET,
                        SupportKpisMonthly.RESOLUTION_RATE_TARGET_MET),
                TablePrinter.Format.TABLE, MAX_MONTHS, System.out);
    }

    private static Dataset<Row> planted(SparkSession spark, JsonNode truth) {
        StructType schema = new StructType()
                .add(ResolutionTimeVsRetention.METRIC, DataTypes.StringType)
                .add(ResolutionTimeVsRetention.BUCKET_ORDER, DataTypes.IntegerType)
                .add("planted_retention", DataTypes.DoubleType);
        List<Row> rows = new ArrayList<>();
        JsonNode expected = truth.path("expected").path("resolution_time_vs_retention");
        for (JsonNode b : expected) {
            rows.add(RowFactory.create(b.get("metric").asText(), b.get("bucket_order").asInt(),
                    b.get("expected_retention").isNull() ? null : b.get("expected_retention").asDouble()));
        }
        return spark.createDataFrame(rows, schema);
    }

}
