package io.supportroi.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.supportroi.analytics.GoldExports;
import io.supportroi.analytics.ResolutionTimeRetentionStats;
import io.supportroi.analytics.worklists.WinbackWorklist;
import io.supportroi.model.Customers;
import io.supportroi.ops.KeyedHash;
import io.supportroi.analytics.ResolutionTimeVsRetention;
import io.supportroi.bench.DuckDbGold;
import io.supportroi.bench.GoldComparison;
import io.supportroi.bench.TableDiff;
import io.supportroi.cli.Demo;
import io.supportroi.cli.Main;
import io.supportroi.config.Settings;
import io.supportroi.generate.Generator;
import io.supportroi.generate.GeneratorOptions;
import io.supportroi.ops.Nightly;
import io.supportroi.ops.Quarantine;
import io.supportroi.ops.Runs;
import io.supportroi.ops.TableRef;
import io.supportroi.ops.Warehouse;
import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import io.supportroi.report.Notebooks;
import io.supportroi.report.VegaLite;
import io.supportroi.testing.HeadlessChromium;
import io.supportroi.analytics.pnl.SupportPnlMonthly;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo on a generated business, through the whole pipeline: the gold tables must recover what the generator
 * planted, the demo's report and notebooks must render against its warehouse, a second run over the same landing
 * folder must change nothing, and the same business exported --dirty must give the same silver tables with exactly
 * the planted unrepairable records in quarantine. One class, so the clean business is generated and run once for
 * all these questions.
 */
@ExtendWith(SparkTest.class)
class GeneratedBusinessTest {
    @TempDir
    static Path tmp;

    private static final List<String> SILVER = List.of("customers", "customer_identities", "tickets", "orders",
            "order_lines", "refunds", "subscriptions", "renewal_attempts", "agents", "claims");

    private static Warehouse wh;
    private static Warehouse dirty;
    private static JsonNode truth;
    private static JsonNode dirtyTruth;
    private static Path dirtyLanding;
    private static final Path NOTEBOOKS = Path.of("..", "notebooks");

    private static Demo.Result demo;
    private static String demoOutput;
    private static Nightly.Summary first;
    private static Nightly.Summary second;
    private static final Map<TableRef, List<String>> rowsAfterFirst = new HashMap<>();
    private static final Map<TableRef, Long> versionsAfterFirst = new HashMap<>();

    @BeforeAll
    static void generateAndRun(SparkSession spark) throws Exception {
        // The demo's own code (supportroi demo --customers 3000 --seed 2024): generation, the first nightly run, the
        // report and the notebooks all come from the demo, so the tests below check the demo's warehouse.
        Demo.Options options = new Demo.Options(tmp.resolve("demo"), 3000, 2024L, GeneratorOptions.Helpdesk.ZENDESK,
                GeneratorOptions.Shop.SHOPIFY, GeneratorOptions.Billing.STRIPE, false, NOTEBOOKS.toAbsolutePath());
        Settings settings = SparkTest.settings().withPaths(options.landing().toString(),
                options.warehouse().toString()).withExports(new Settings.ExportSettings(true))
                .withPrivacy(new Settings.PrivacySettings(HASH_KEY));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            demo = Demo.run(spark, settings, options, out, out);
        }
        demoOutput = printed.toString(StandardCharsets.UTF_8);
        assertThat(demo.code()).as(demoOutput).isEqualTo(Main.OK);
        truth = demo.truth();
        first = demo.summary();
        wh = new Warehouse(spark, settings.warehouse());
        rowsAfterFirst.putAll(Frames.readAll(wh.listTables(), t -> Frames.sortedRows(wh.read(t))));
        rowsAfterFirst.keySet().forEach(t -> versionsAfterFirst.put(t, wh.latestVersion(t)));
        LocalDate asOf = LocalDate.parse(truth.get("end").asText());
        second = Nightly.run(spark, settings, asOf);

        dirtyLanding = tmp.resolve("dirty");
        Generator.run(spark, new GeneratorOptions(dirtyLanding.toString(), options.customers(), 12,
                LocalDate.parse("2025-01-01"), options.seed(), null).withDirty(true));
        dirtyTruth = new ObjectMapper().readTree(dirtyLanding.resolve("ground_truth.json").toFile());
        dirty = new Warehouse(spark, tmp.resolve("wh-dirty").toString());
        Nightly.run(spark, settings.withPaths(dirtyLanding.toString(), dirty.root()), asOf);
    }

    private static final String HASH_KEY = "the key of the generated business test";

    /** Exports go to analysts: no email, name or plain customer id, and the customer keys are the keyed hash. */
    @Test
    void exportsNameNoCustomer(SparkSession spark) throws Exception {
        Path folder = Path.of(wh.root(), GoldExports.EXPORTS_DIR, first.asOf().toString());
        java.util.Set<String> emails = new java.util.HashSet<>(wh.read(Customers.TABLE).select(Customers.EMAIL)
                .na().drop().as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
        assertThat(emails).hasSizeGreaterThan(1000);
        java.util.regex.Pattern email = java.util.regex.Pattern.compile("[^,\\s\"']+@[^,\\s\"]+");
        List<Path> csvs;
        try (java.util.stream.Stream<Path> files = Files.list(folder)) {
            csvs = files.filter(f -> f.toString().endsWith(".csv")).toList();
        }
        assertThat(csvs).hasSize(14);
        for (Path csv : csvs) {
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            assertThat(lines.get(0).split(",")).as(csv.toString())
                    .doesNotContain("email", "name", "customer_id");
            java.util.regex.Matcher m = email.matcher(String.join("\n", lines));
            while (m.find()) {
                assertThat(emails).as(csv.toString()).doesNotContain(m.group());
            }
        }
        // The winback list's customers, hashed under the key, are exactly the export's customer keys.
        org.apache.spark.sql.Dataset<Row> exported = spark.read().parquet(
                GoldExports.parquet(wh.root(), first.asOf(), WinbackWorklist.TABLE).toString());
        org.apache.spark.sql.Dataset<Row> hashed = wh.read(WinbackWorklist.TABLE).select(KeyedHash.hmacSha256Hex(
                col(WinbackWorklist.CUSTOMER_ID), HASH_KEY.getBytes(StandardCharsets.UTF_8))
                .as(GoldExports.CUSTOMER_KEY));
        assertThat(exported.count()).isPositive();
        assertThat(exported.select(GoldExports.CUSTOMER_KEY).exceptAll(hashed).count()
                + hashed.exceptAll(exported.select(GoldExports.CUSTOMER_KEY)).count()).isZero();
    }

    @Test
    void bucketCountsEqualTheGeneratorsAndRatesMatchThePlantedOnes() {
        PlantedEffects.speedBucketsRecoverThePlantedRetention(wh, truth);
    }

    @Test
    void theKneeLandsOnThePlantedBound() {
        PlantedEffects.kneeLandsOnThePlantedBound(wh, truth);
    }

    @Test
    void agentsAreJudgedOnWhatTheirMixExplains() {
        PlantedEffects.agentsAreJudgedOnTheirMix(wh, truth);
    }

    @Test
    void channelsRecoverThePlantedLoyalty() {
        PlantedEffects.channelsRecoverThePlantedLoyalty(wh, truth);
    }

    @Test
    void thePnlEqualsTheGroundTruthToTheCent() {
        PlantedEffects.pnlEqualsTheGroundTruth(wh, truth);
    }

    @Test
    void campaignAndRecoveryRatesMatchThePlantedOnes() {
        PlantedEffects.campaignsRecoverThePlantedRates(wh, truth);
    }

    @Test
    void theInstrumentedSpeedEffectCoversThePlantedOne() {
        PlantedEffects.speedEffectRecoversThePlantedEffect(wh, truth, false);
    }

    @Test
    void staffingScenariosAddUpAndTheDemoNamesTheBest() {
        PlantedEffects.staffingScenariosAddUp(wh, SparkTest.settings().decisions());
        assertThat(demoOutput).contains("gold.speed_effect (planted per doubling: resolution_time "
                + truth.path("effects").path("speed_effect_per_doubling").path("resolution_time").asText());
        assertThat(demoOutput).containsPattern("Best staffing scenario: add (no agent|\\d+ agents?), monthly ROI -?\\d");
    }

    @Test
    void retentionFallsFromTheFastestToTheSlowestBucketAsPlanted() {
        List<Row> rows = wh.read(ResolutionTimeVsRetention.TABLE)
                .filter(org.apache.spark.sql.functions.col(ResolutionTimeVsRetention.METRIC)
                        .equalTo(ResolutionTimeVsRetention.RESOLUTION_TIME))
                .orderBy(ResolutionTimeVsRetention.BUCKET_ORDER).collectAsList();
        double fastest = rows.get(0).getAs(ResolutionTimeVsRetention.RETENTION_RATE);
        double slowest = rows.get(rows.size() - 1).getAs(ResolutionTimeVsRetention.RETENTION_RATE);
        assertThat(fastest).isGreaterThan(slowest);
        // the planted drop is large enough to be significant at this size (two-proportion z-test, 5%)
        assertThat(ResolutionTimeRetentionStats.significantlyBelow(rows.get(rows.size() - 1), rows.get(0))).isTrue();
        assertThat(rows.get(rows.size() - 1).<Double>getAs(ResolutionTimeVsRetention.LIFT_VS_FASTEST)).isNegative();
    }

    @Test
    void everyRecordReadIsWrittenAndTheSecondRunChangesNothing() {
        assertThat(first.status()).isEqualTo(Runs.SUCCEEDED);
        assertThat(first.quarantined()).isZero();
        assertThat(first.counts().stream().filter(c -> c.table().startsWith("bronze."))
                .mapToLong(Runs.TableCount::read).sum())
                .isEqualTo(first.counts().stream().filter(c -> c.table().startsWith("bronze."))
                        .mapToLong(Runs.TableCount::written).sum());
        assertThat(second.filesIngested()).isZero();
        List<TableRef> kept = rowsAfterFirst.keySet().stream().filter(t -> !Nightly.LEDGERS.contains(t)).toList();
        for (TableRef t : kept) {
            assertThat(wh.latestVersion(t)).as(t + " version").isEqualTo(versionsAfterFirst.get(t));
        }
        Map<TableRef, List<String>> expected = new HashMap<>(rowsAfterFirst);
        expected.keySet().retainAll(kept);
        Frames.assertSameTables(Frames.readAll(kept, t -> Frames.sortedRows(wh.read(t))), expected);
    }

    @Test
    void dirtyExportsGiveTheSameSilverTables() {
        List<TableRef> silver = SILVER.stream().map(TableRef::silver).toList();
        for (TableRef t : silver) {
            assertThat(dirty.exists(t)).as(t.qualified()).isEqualTo(wh.exists(t));
        }
        List<TableRef> present = silver.stream().filter(wh::exists).toList();
        Map<TableRef, List<String>> expected = Frames.readAll(present, t -> Frames.sortedRows(wh.read(t)));
        expected.forEach((t, rows) -> assertThat(rows).as(t.qualified()).isNotEmpty());
        Frames.assertSameTables(Frames.readAll(present, t -> Frames.sortedRows(dirty.read(t))), expected);
    }

    @Test
    void quarantineHoldsExactlyThePlantedRecords() {
        assertThat(wh.exists(Quarantine.TABLE) ? wh.read(Quarantine.TABLE).count() : 0L).isZero();
        List<String> planted = new ArrayList<>();
        for (JsonNode u : dirtyTruth.path("dirty").path("unrepairable")) {
            planted.add(u.get("source").asText() + " " + u.get("file").asText() + " " + u.get("line").asLong()
                    + " " + u.get("record_index").asLong());
        }
        assertThat(planted).hasSize(dirtyTruth.path("dirty").path("unrepairable_total").asInt()).isNotEmpty();
        String prefix = dirtyLanding.toUri().toString();
        List<String> quarantined = new ArrayList<>();
        for (Row q : dirty.read(Quarantine.TABLE).collectAsList()) {
            String file = q.<String>getAs(Quarantine.FILE);
            String relative = file.substring(file.indexOf(dirtyLanding.toString()) + dirtyLanding.toString().length() + 1);
            quarantined.add(q.<String>getAs(Quarantine.SOURCE) + " " + relative + " " + q.<Long>getAs(Quarantine.LINE)
                    + " " + q.<Long>getAs(Quarantine.RECORD_INDEX));
            assertThat(q.<String>getAs(Quarantine.REASON)).isNotBlank();
            assertThat(q.<String>getAs(Quarantine.RAW)).isNotNull();
        }
        assertThat(prefix).isNotBlank();
        assertThat(quarantined).containsExactlyInAnyOrderElementsOf(planted);
    }

    @Test
    void theDemosReportRendersEveryChartInChromiumWithoutErrorsOrRequests() throws Exception {
        Path page = demo.report();
        assertThat(demoOutput).contains("Report: " + page);
        long profitMonths = wh.read(SupportPnlMonthly.TABLE).filter(col(SupportPnlMonthly.IS_PROFIT_CENTER)).count();
        long months = wh.read(SupportPnlMonthly.TABLE).count();
        assertThat(Files.readString(page)).contains("Support was a profit center in " + profitMonths + " of "
                + months + " months.");

        try (HeadlessChromium browser = HeadlessChromium.start(tmp.resolve("chromium-profile"))) {
            HeadlessChromium.Tab tab = browser.open(page.toUri().toString());
            tab.evaluate("window.reportRendered");
            // Per chart: its SVG's data marks (points, bars, rules, lines), not just an empty frame.
            JsonNode charts = tab.evaluate("Array.from(document.querySelectorAll('.chart'), c => [c.id, "
                    + "c.querySelectorAll('svg .mark-symbol path, svg .mark-rect path, svg .mark-rule line, "
                    + "svg .mark-line path').length])");
            tab.screenshot(Path.of("target", "report-screenshot.png"));
            assertThat(charts).extracting(c -> c.get(0).asText()).containsExactly("chart-pnl", "chart-speed",
                    "chart-speed-worth", "chart-staffing", "chart-channels", "chart-agents", "chart-kpis");
            for (JsonNode c : charts) {
                assertThat(c.get(1).asInt()).as(c.get(0).asText()).isGreaterThan(1);
            }
            assertThat(tab.errors()).isEmpty();
            assertThat(tab.requests()).containsExactly(page.toUri().toString());
        }
        assertThat(Path.of("target", "report-screenshot.png")).isNotEmptyFile();
    }

    @Test
    void everyNotebookRunsAgainstTheDemoWarehouseWithOutputsForEveryCell() throws Exception {
        Notebooks.Result result = demo.notebooks();
        assertThat(result.failures()).isEmpty();
        assertThat(demoOutput).contains("Notebooks: " + result.written().size() + " executed into "
                + tmp.resolve("demo").resolve("notebooks") + ", " + result.cells() + " cells, 0 failed");
        assertThat(result.written()).extracting(p -> p.getFileName().toString()).containsExactlyElementsOf(
                Files.list(NOTEBOOKS).map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ipynb")).sorted()
                        .toList());
        int charts = 0;
        for (Path nb : result.written()) {
            JsonNode doc = new ObjectMapper().readTree(nb.toFile());
            for (JsonNode cell : doc.get("cells")) {
                if (!"code".equals(cell.get("cell_type").asText())) {
                    continue;
                }
                String where = nb.getFileName() + " " + cell.get("source");
                assertThat(cell.get("outputs")).as(where).isNotEmpty();
                for (JsonNode out : cell.get("outputs")) {
                    assertThat(out.get("output_type").asText()).as(where).isNotEqualTo("error");
                    if (out.path("data").has(VegaLite.MIME)) {
                        assertThat(out.get("data").get(VegaLite.MIME).get("data").get("values")).as(where)
                                .isNotEmpty();
                        charts++;
                    }
                }
            }
        }
        assertThat(charts).isGreaterThanOrEqualTo(6);
        // The P&L notebook's headline cell says what the table says.
        long profitMonths = wh.read(SupportPnlMonthly.TABLE).filter(col(SupportPnlMonthly.IS_PROFIT_CENTER)).count();
        JsonNode pnl = new ObjectMapper().readTree(tmp.resolve("demo").resolve("notebooks").resolve("04_support_pnl.ipynb").toFile());
        String headline = java.util.stream.StreamSupport.stream(pnl.get("cells").spliterator(), false)
                .filter(c -> c.get("source").toString().contains("profit_months"))
                .findFirst().orElseThrow().get("outputs").get(0).get("data").get("text/html").asText();
        assertThat(headline).contains("<td class=\"num\">" + profitMonths + "</td>");
    }

    @Test
    void duckDbComputesTheSameComparedGoldTablesFromTheSilverParquetFiles() throws Exception {
        LocalDate asOf = LocalDate.parse(truth.get("end").asText());
        DuckDbGold.SilverFiles files = GoldComparison.silverFiles(wh);
        try (Connection duck = DuckDbGold.open(2)) {
            assertThat(GoldComparison.silverCounts(wh, duck, files))
                    .allSatisfy((table, counts) -> assertThat(counts[1]).as(table).isEqualTo(counts[0]));
            DuckDbGold.Result duckdb = DuckDbGold.run(duck, files, asOf, SparkTest.settings());
            Map<String, TableDiff.Result> diffs = GoldComparison.compare(GoldComparison.published(wh),
                    duckdb.tables());
            assertThat(diffs).hasSize(GoldComparison.TABLES.size()).allSatisfy((table, diff) -> {
                assertThat(diff.listed()).as(table).isEmpty();
                assertThat(diff.same()).as(table).isTrue();
                assertThat(diff.rows()).as(table).isGreaterThan(5);
            });
        }
    }
}
