package io.supportroi.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.supportroi.generate.Generator;
import io.supportroi.ops.Warehouse;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;


/**
 * A business with another seed and other planted effects (through {@code --effects}) than {@link GeneratedBusinessTest}'s
 * defaults: a knee at 4 h instead of 24 h, agents who churn 3 and 2.5 times as much (chosen by the test, not the
 * seed), harder hard tickets routed more strongly, wider channel differences, other campaign and recovery rates.
 * The gold tables must recover each of them. (A parameterized test: more businesses are one line each, at about two
 * minutes apiece.) Beside {@link GeneratedBusinessTest}'s business on every build: effects recovered only at one seed
 * and one set of sizes could be the generator's defaults leaking into the gold code.
 */
@ExtendWith(SparkTest.class)
class PlantedEffectsTest {
    private static final int CUSTOMERS = 3000;

    static Stream<Arguments> businesses() {
        List<String> agents = Generator.agentEmails(7, CUSTOMERS);
        String earlyKnee = """
                {"retention_by_resolution_hours": [
                   {"upper_hours": 1, "retention": 0.90}, {"upper_hours": 4, "retention": 0.90},
                   {"upper_hours": 24, "retention": 0.76}, {"upper_hours": 72, "retention": 0.76},
                   {"upper_hours": null, "retention": 0.76}],
                 "knee_hours": 4,
                 "hard_ticket_churn_multiplier": 2.5, "hard_ticket_routing": 0.7,
                 "upsell_conversion_rate": 0.35, "dunning_recovery_rate": 0.5, "support_recovery_rate": 0.3,
                 "channel_retention": {"chat": 0.90, "social": 0.72},
                 "agents": [
                   {"agent_email": "%s", "churn_multiplier": 3.0, "best_seller": true},
                   {"agent_email": "%s", "churn_multiplier": 2.5},
                   {"agent_email": "%s", "hard_tickets": true}]}"""
                .formatted(agents.get(3), agents.get(0), agents.get(5));
        return Stream.of(Arguments.of(7L, earlyKnee));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("businesses")
    void theGoldTablesRecoverWhatWasPlanted(long seed, String effects, SparkSession spark, @TempDir Path tmp)
            throws Exception {
        PlantedEffects.Business business = PlantedEffects.generateAndRun(spark, tmp, CUSTOMERS, seed, effects);
        Warehouse wh = business.wh();
        JsonNode truth = business.truth();

        PlantedEffects.speedBucketsRecoverThePlantedRetention(wh, truth);
        PlantedEffects.kneeLandsOnThePlantedBound(wh, truth);
        PlantedEffects.agentsAreJudgedOnTheirMix(wh, truth);
        PlantedEffects.channelsRecoverThePlantedLoyalty(wh, truth);
        PlantedEffects.pnlEqualsTheGroundTruth(wh, truth);
        PlantedEffects.campaignsRecoverThePlantedRates(wh, truth);
    }
}
