package io.supportroi.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.supportroi.ops.Warehouse;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;


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
        PlantedEffects.Business business = PlantedEffects.generateAndRun(spark, tmp, CUSTOMERS, seed,
                "{\"confounding\": 1.0, \"routing\": \"" + routing + "\"}");
        Warehouse wh = business.wh();
        JsonNode truth = business.truth();
        PlantedEffects.speedEffectRecoversThePlantedEffect(wh, truth, true);
        PlantedEffects.staffingScenariosAddUp(wh, SparkTest.settings().decisions());
    }
}
