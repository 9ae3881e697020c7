package io.supportroi.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.supportroi.config.Settings;
import io.supportroi.generate.Generator;
import io.supportroi.generate.GeneratorOptions;
import io.supportroi.ops.Nightly;
import io.supportroi.ops.Runs;
import io.supportroi.ops.Warehouse;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §8 across seeds: businesses of 20,000 customers (about 5,000 eligible tickets a year, enough for the
 * instrument) with confounding planted, so that slow tickets are also the hard ones. The instrumented estimate must
 * cover the planted effect and the naive one must lie below it; routed by topic, the instrument must be flagged.
 * Tagged {@code slow} (about six minutes a business): {@link GeneratedBusinessTest} checks the same on every build,
 * on the demo's smaller business without confounding.
 */
@Tag("slow")
@ExtendWith(SparkTest.class)
class SpeedEffectSeedsTest {
    private static final int CUSTOMERS = 20_000;

    @ParameterizedTest(name = "seed {0}, routing {1}")
    @CsvSource({"11, random", "12, random", "2024, random", "13, by_topic"})
    void theInstrumentCoversThePlantedEffectAndTheNaiveSlopeIsBiased(long seed, String routing, SparkSession spark,
                                                                      @TempDir Path tmp) throws Exception {
        Path effects = Files.writeString(tmp.resolve("effects.json"),
                "{\"confounding\": 1.0, \"routing\": \"" + routing + "\"}");
        Path landing = tmp.resolve("landing");
        Generator.run(spark, new GeneratorOptions(landing.toString(), CUSTOMERS, 12, LocalDate.parse("2025-01-01"),
                seed, effects.toString()));
        JsonNode truth = new ObjectMapper().readTree(landing.resolve("ground_truth.json").toFile());
        Settings settings = SparkTest.settings().withPaths(landing.toString(), tmp.resolve("wh").toString());
        Nightly.Summary run = Nightly.run(spark, settings, LocalDate.parse(truth.get("end").asText()));
        assertThat(run.status()).isEqualTo(Runs.SUCCEEDED);
        Warehouse wh = new Warehouse(spark, settings.warehouse());
        PlantedEffects.speedEffectRecoversThePlantedEffect(wh, truth, true);
        PlantedEffects.staffingScenariosAddUp(wh, settings.decisions());
    }
}
