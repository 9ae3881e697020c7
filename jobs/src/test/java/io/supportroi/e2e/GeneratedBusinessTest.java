package io.supportroi.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.supportroi.analytics.ResolutionTimeRetentionStats;
import io.supportroi.analytics.ResolutionTimeVsRetention;
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

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A generated business through the whole pipeline: the gold table must recover what the generator planted, a
 * second run over the same landing folder must change nothing, and the same business exported --dirty must give
 * the same silver tables with exactly the planted unrepairable records in quarantine. One class, so the clean
 * business is generated and run once for all three questions.
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
    private static Nightly.Summary first;
    private static Nightly.Summary second;
    private static final Map<TableRef, List<String>> rowsAfterFirst = new HashMap<>();
    private static final Map<TableRef, Long> versionsAfterFirst = new HashMap<>();

    @BeforeAll
    static void generateAndRun(SparkSession spark) throws Exception {
        Path landing = tmp.resolve("landing");
        GeneratorOptions options = new GeneratorOptions(landing.toString(), 3000, 12, LocalDate.parse("2025-01-01"),
                2024L, null);
        Generator.run(spark, options);
        truth = new ObjectMapper().readTree(landing.resolve("ground_truth.json").toFile());
        dirtyLanding = tmp.resolve("dirty");
        Generator.run(spark, options.withOut(dirtyLanding.toString()).withDirty(true));
        dirtyTruth = new ObjectMapper().readTree(dirtyLanding.resolve("ground_truth.json").toFile());
        Settings settings = SparkTest.settings().withPaths(landing.toString(), tmp.resolve("wh").toString());
        wh = new Warehouse(spark, settings.warehouse());
        LocalDate asOf = LocalDate.parse(truth.get("end").asText());
        first = Nightly.run(spark, settings, asOf);
        for (TableRef t : wh.listTables()) {
            rowsAfterFirst.put(t, Frames.sortedRows(wh.read(t)));
            versionsAfterFirst.put(t, wh.latestVersion(t));
        }
        second = Nightly.run(spark, settings, asOf);
        dirty = new Warehouse(spark, tmp.resolve("wh-dirty").toString());
        Nightly.run(spark, settings.withPaths(dirtyLanding.toString(), dirty.root()), asOf);
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
        for (TableRef t : rowsAfterFirst.keySet()) {
            if (io.supportroi.ops.Nightly.LEDGERS.contains(t)) {
                continue;
            }
            assertThat(wh.latestVersion(t)).as(t + " version").isEqualTo(versionsAfterFirst.get(t));
            assertThat(Frames.sortedRows(wh.read(t))).as(t.qualified()).isEqualTo(rowsAfterFirst.get(t));
        }
    }

    @Test
    void dirtyExportsGiveTheSameSilverTables() {
        for (String name : SILVER) {
            TableRef t = TableRef.silver(name);
            assertThat(dirty.exists(t)).as(t.qualified()).isEqualTo(wh.exists(t));
            if (wh.exists(t)) {
                List<String> expected = Frames.sortedRows(wh.read(t));
                assertThat(expected).as(t.qualified()).isNotEmpty();
                assertThat(Frames.sortedRows(dirty.read(t))).as(t.qualified()).isEqualTo(expected);
            }
        }
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
}
