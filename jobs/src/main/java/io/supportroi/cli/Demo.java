package io.supportroi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.supportroi.analytics.AgentVsChurn;
import io.supportroi.analytics.ChannelVsLoyalty;
import io.supportroi.analytics.ResolutionTimeRetentionStats;
import io.supportroi.analytics.ResolutionTimeVsRetention;
import io.supportroi.analytics.SpeedEffect;
import io.supportroi.analytics.staffing.StaffingScenarios;
import io.supportroi.analytics.pnl.PassiveChurnRecoveryMonthly;
import io.supportroi.analytics.pnl.SupportKpisMonthly;
import io.supportroi.analytics.pnl.SupportPnlMonthly;
import io.supportroi.analytics.pnl.UpsellCampaignMonthly;
import io.supportroi.config.Settings;
import io.supportroi.generate.Generator;
import io.supportroi.generate.GeneratorOptions;
import io.supportroi.ops.LocalDirs;
import io.supportroi.ops.Nightly;
import io.supportroi.ops.Progress;
import io.supportroi.ops.RunLock;
import io.supportroi.ops.Seqs;
import io.supportroi.ops.Warehouse;
import io.supportroi.report.Notebooks;
import io.supportroi.report.Report;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;

/**
 * What {@code supportroi demo} does, apart from its command line: generate a business, run the nightly pipeline on
 * it, print the gold tables next to what the generator planted, write the report and execute the notebooks against
 * the demo's warehouse. The end-to-end test runs this same code on a smaller business, so CI checks the demo's
 * warehouse, report and notebooks, not a look-alike.
 */
public final class Demo {
    private Demo() {}

    /**
     * @param notebooks the notebooks to execute against the demo's warehouse; null when there are none (a jar run
     *                  outside the project's folder)
     */
    public record Options(Path workdir, int customers, long seed, GeneratorOptions.Helpdesk helpdesk,
                          GeneratorOptions.Shop shop, GeneratorOptions.Billing billing, boolean dirty, Path notebooks) {
        public Path landing() {
            return workdir.resolve("landing");
        }

        public Path warehouse() {
            return workdir.resolve("warehouse");
        }

        public Path report() {
            return workdir.resolve("report");
        }

        public Path executedNotebooks() {
            return workdir.resolve("notebooks");
        }
    }

    /**
     * @param code      the command's exit code
     * @param report    the report's page; null when the run stopped before it
     * @param notebooks the executed notebooks; null when there were none to execute or the run stopped before them
     */
    public record Result(int code, Nightly.Summary summary, JsonNode truth, Path report, Notebooks.Result notebooks) {}

    /** More months than a demo business spans. */
    private static final int MAX_MONTHS = 60;

    /** Runs the demo with {@code settings}, whose landing and warehouse must be the options' folders. */
    public static Result run(SparkSession spark, Settings settings, Options o, PrintStream out, PrintStream err)
            throws IOException {
        Path landing = o.landing();
        Path warehouse = o.warehouse();
        // A demo warehouse belongs to the demo's business: a fresh business gets a fresh warehouse, but never one a
        // run is still writing to (its lock says so; RunLock.Busy ends the demo with the lock holder named).
        // Checked before the reset: a demo that cannot run leaves the last one's warehouse as it was.
        GeneratorOptions business = new GeneratorOptions(landing.toString(), o.customers(), 12,
                LocalDate.parse("2025-01-01"), o.seed(), null, o.helpdesk(), o.shop(), o.billing(), o.dirty());
        try (RunLock ignored = RunLock.acquire(new Warehouse(spark, warehouse.toString()),
                "demo-reset-" + UUID.randomUUID(), Duration.ZERO)) {
            // Everything but the lock, which goes last: gone first, it would let a run in while the rest goes.
            try (Stream<Path> children = Files.list(warehouse)) {
                for (Path child : children.filter(c -> !c.getFileName().toString().equals(RunLock.FILE)).toList()) {
                    LocalDirs.deleteRecursively(child);
                }
            }
        }
        Progress.line("demo", "generating %d customers into %s", o.customers(), landing);
        out.println(Generator.run(spark, business, settings.analytics(), settings.identity()));
        JsonNode truth = new ObjectMapper().readTree(landing.resolve("ground_truth.json").toFile());
        LocalDate asOf = LocalDate.parse(truth.get("end").asText());

        Nightly.Summary summary = Nightly.run(spark, settings, asOf);
        NightlyCommand.printSummary(summary, out);
        if (Nightly.GATE_FAILED.equals(summary.status())) {
            err.println("supportroi: a data-quality gate failed on the generated data; see ops.quality_results");
            return new Result(Main.QUALITY_GATE_FAILED, summary, truth, null, null);
        }

        Warehouse wh = new Warehouse(spark, warehouse.toString());
        out.println();
        out.println("gold.resolution_time_vs_retention (retention " + settings.analytics().retentionHorizonDays()
                + " days after the ticket, as of " + asOf + "), with the rate the generator planted:");
        Dataset<Row> table = wh.read(ResolutionTimeVsRetention.TABLE)
                .join(planted(spark, truth), Seqs.of(
                        ResolutionTimeVsRetention.METRIC, ResolutionTimeVsRetention.BUCKET_ORDER), "left")
                .orderBy(col(ResolutionTimeVsRetention.METRIC).desc(), col(ResolutionTimeVsRetention.BUCKET_ORDER))
                .select(ResolutionTimeVsRetention.METRIC, ResolutionTimeVsRetention.BUCKET,
                        ResolutionTimeVsRetention.TICKETS, ResolutionTimeVsRetention.CUSTOMERS,
                        ResolutionTimeVsRetention.RETENTION_RATE, ResolutionTimeVsRetention.CI_LOW,
                        ResolutionTimeVsRetention.CI_HIGH, "planted_retention",
                        ResolutionTimeVsRetention.REVENUE_PER_TICKET_H, ResolutionTimeVsRetention.LIFT_VS_FASTEST);
        TablePrinter.print(table, TablePrinter.Format.TABLE, 100, out);
        out.println();
        out.println("gold.resolution_time_retention_stats:");
        // In a stated order: the table's two rows are stored in whatever order its one or two files hold them.
        TablePrinter.print(wh.read(ResolutionTimeRetentionStats.TABLE).orderBy(ResolutionTimeRetentionStats.METRIC),
                TablePrinter.Format.TABLE, 10, out);
        out.println();
        out.println("gold.agent_vs_churn:");
        TablePrinter.print(wh.read(AgentVsChurn.TABLE), TablePrinter.Format.TABLE, 50, out);
        out.println();
        out.println("gold.channel_vs_loyalty:");
        TablePrinter.print(wh.read(ChannelVsLoyalty.TABLE).drop(ChannelVsLoyalty.CUSTOMERS_180D,
                ChannelVsLoyalty.REPEAT_CUSTOMERS), TablePrinter.Format.TABLE, 20, out);
        out.println();
        printPnl(wh, truth, out);
        out.println();
        printSpeedWorth(wh, truth, out);
        out.println();
        Path report = Report.write(wh, settings, o.report());
        out.println("Report: " + report);
        Notebooks.Result executed = null;
        if (o.notebooks() != null) {
            executed = Notebooks.run(spark, wh, o.notebooks(), o.executedNotebooks());
            out.println("Notebooks: " + executed.written().size() + " executed into " + o.executedNotebooks() + ", "
                    + executed.cells() + " cells, " + executed.failures().size() + " failed");
            if (!executed.failures().isEmpty()) {
                executed.failures().forEach(f -> err.println("supportroi: notebook cell failed: " + f));
                return new Result(Main.FAILED, summary, truth, report, executed);
            }
        }
        out.println("Query it:  bin/supportroi sql --warehouse " + warehouse
                + " \"SELECT * FROM gold.resolution_time_vs_retention\"");
        return new Result(Main.OK, summary, truth, report, executed);
    }

    /** The support P&L, a verdict per month, and the campaign tables next to the rates the generator planted. */
    private static void printPnl(Warehouse wh, JsonNode truth, PrintStream out) {
        out.println("gold.support_pnl_monthly:");
        Dataset<Row> pnl = wh.read(SupportPnlMonthly.TABLE).orderBy(SupportPnlMonthly.MONTH_START)
                .select(SupportPnlMonthly.MONTH, SupportPnlMonthly.STAFF_COST, SupportPnlMonthly.PLATFORM_COST,
                        SupportPnlMonthly.REFUND_SHARE_COST, SupportPnlMonthly.UPSELL_REVENUE,
                        SupportPnlMonthly.WINBACK_REVENUE, SupportPnlMonthly.DISCOUNT_CODE_REVENUE,
                        SupportPnlMonthly.CLAIMS_RECOVERED, SupportPnlMonthly.COGS,
                        SupportPnlMonthly.SUPPORT_GROSS_PROFIT, SupportPnlMonthly.TOTAL_COST,
                        SupportPnlMonthly.NET_PROFIT, SupportPnlMonthly.IS_PROFIT_CENTER);
        TablePrinter.print(pnl, TablePrinter.Format.TABLE, MAX_MONTHS, out);
        // One row per month of the period: a few dozen rows at most.
        for (Row r : pnl.limit(MAX_MONTHS).collectAsList()) {
            boolean profit = r.<Boolean>getAs(SupportPnlMonthly.IS_PROFIT_CENTER);
            out.printf("%s: support was a %s (net %s)%n", r.<String>getAs(SupportPnlMonthly.MONTH),
                    profit ? "profit center" : "cost center",
                    r.<BigDecimal>getAs(SupportPnlMonthly.NET_PROFIT).toPlainString());
        }
        JsonNode effects = truth.path("effects");
        out.println();
        out.println("gold.upsell_campaign_monthly (planted conversion rate "
                + effects.path("upsell_conversion_rate").asText("?") + "):");
        TablePrinter.print(wh.read(UpsellCampaignMonthly.TABLE).drop(UpsellCampaignMonthly.MONTH_START),
                TablePrinter.Format.TABLE, MAX_MONTHS, out);
        out.println();
        out.println("gold.passive_churn_recovery_monthly (planted dunning recovery "
                + effects.path("dunning_recovery_rate").asText("?") + ", support recovery "
                + effects.path("support_recovery_rate").asText("?") + "):");
        TablePrinter.print(wh.read(PassiveChurnRecoveryMonthly.TABLE).drop(PassiveChurnRecoveryMonthly.MONTH_START),
                TablePrinter.Format.TABLE, MAX_MONTHS, out);
        out.println();
        out.println("gold.support_kpis_monthly:");
        TablePrinter.print(wh.read(SupportKpisMonthly.TABLE).drop(SupportKpisMonthly.MONTH_START,
                        SupportKpisMonthly.FIRST_RESPONSE_TARGET_MET, SupportKpisMonthly.CSAT_TARGET_MET,
                        SupportKpisMonthly.RESOLUTION_RATE_TARGET_MET),
                TablePrinter.Format.TABLE, MAX_MONTHS, out);
    }

    /** SPEC §8: both estimates of what speed is worth next to the planted one, the scenarios, and the best of them. */
    private static void printSpeedWorth(Warehouse wh, JsonNode truth, PrintStream out) {
        JsonNode planted = truth.path("effects").path("speed_effect_per_doubling");
        out.println("gold.speed_effect (planted per doubling: resolution_time "
                + planted.path("resolution_time").asText("?") + ", first_response_time "
                + planted.path("first_response_time").asText("?") + "):");
        TablePrinter.print(wh.read(SpeedEffect.TABLE).orderBy(SpeedEffect.METRIC, SpeedEffect.METHOD),
                TablePrinter.Format.TABLE, 10, out);
        out.println();
        out.println("gold.staffing_scenarios:");
        Dataset<Row> scenarios = wh.read(StaffingScenarios.TABLE);
        TablePrinter.print(scenarios.orderBy(StaffingScenarios.AGENTS_ADDED), TablePrinter.Format.TABLE, 100, out);
        out.println(bestScenario(scenarios));
    }

    /** The scenario with the highest net monthly ROI (the fewest agents among equals), as one sentence. */
    static String bestScenario(Dataset<Row> scenarios) {
        List<Row> best = scenarios.filter(col(StaffingScenarios.NET_MONTHLY_ROI).isNotNull())
                .orderBy(col(StaffingScenarios.NET_MONTHLY_ROI).desc(), col(StaffingScenarios.AGENTS_ADDED))
                .limit(1).collectAsList();
        if (best.isEmpty()) {
            return "Best staffing scenario: none can be priced (no instrumented speed effect, no gross margin, or a "
                    + "queue the model cannot settle); see gold.staffing_scenarios.";
        }
        Row r = best.get(0);
        int added = r.<Integer>getAs(StaffingScenarios.AGENTS_ADDED);
        Double median = r.getAs(StaffingScenarios.EXPECTED_MEDIAN_RESOLUTION_HOURS);
        return String.format(java.util.Locale.ROOT,
                "Best staffing scenario: %s, monthly ROI %.2f (extra gross profit %.2f - added cost %.2f; median "
                        + "resolution %s h)%s",
                added == 0 ? "add no agent" : "add " + added + (added == 1 ? " agent" : " agents"),
                r.<Double>getAs(StaffingScenarios.NET_MONTHLY_ROI),
                r.<Double>getAs(StaffingScenarios.EXTRA_GROSS_PROFIT_PER_MONTH),
                r.<Double>getAs(StaffingScenarios.ADDED_MONTHLY_COST),
                median == null ? "?" : String.format(java.util.Locale.ROOT, "%.2f", median),
                r.<Boolean>getAs(StaffingScenarios.EFFECT_RELIABLE) ? ""
                        : "; the instrumented speed effect is flagged unreliable, read with care");
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
