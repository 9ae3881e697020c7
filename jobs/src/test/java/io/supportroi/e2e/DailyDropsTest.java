package io.supportroi.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.supportroi.cli.Main;
import io.supportroi.config.Settings;
import io.supportroi.model.Tickets;
import io.supportroi.ops.Layer;
import io.supportroi.ops.Nightly;
import io.supportroi.ops.Runs;
import io.supportroi.ops.TableRef;
import io.supportroi.ops.Warehouse;
import io.supportroi.generate.DailyDrops;
import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A month of a generated business delivered as 30 daily landing drops, one nightly run after each, ends with the
 * warehouse one run over the whole month builds. About 30 nightly runs: tagged {@code slow}, run with
 * {@code mvn -Pslow verify} (README, "Slow tests").
 */
@Tag("slow")
@ExtendWith(SparkTest.class)
class DailyDropsTest {
    private static final int DAYS = 30;

    @TempDir
    Path tmp;

    @Test
    void thirtyDailyDropsInSequenceGiveTheTablesOfOneRunOverAllOfThem(SparkSession spark) throws Exception {
        Path generated = tmp.resolve("generated");
        assertThat(Main.execute("generate", "--out", generated.toString(), "--customers", "300", "--months", "1",
                "--seed", "30", "--quiet")).isZero();
        JsonNode truth = new ObjectMapper().readTree(generated.resolve("ground_truth.json").toFile());
        LocalDate first = LocalDate.parse(truth.get("start").asText());
        List<Path> drops = DailyDrops.split(generated, first, DAYS, tmp.resolve("drops"));

        Path landing = tmp.resolve("landing");
        Settings daily = SparkTest.settings().withPaths(landing.toString(), tmp.resolve("wh-daily").toString());
        long deliveredFiles = 0;
        for (Path drop : drops) {
            int files = DailyDrops.deliver(drop, landing);
            deliveredFiles += files;
            Nightly.Summary night = Nightly.run(spark, daily, null);
            assertThat(night.status()).as(drop.toString()).isEqualTo(Runs.SUCCEEDED);
            assertThat(night.filesIngested()).as(drop.toString()).isEqualTo(files);
        }
        assertThat(deliveredFiles).as("the drops are really daily").isGreaterThan(2L * DAYS);

        Settings once = SparkTest.settings().withPaths(generated.toString(), tmp.resolve("wh-once").toString());
        Nightly.Summary single = Nightly.run(spark, once, null);
        assertThat(single.status()).isEqualTo(Runs.SUCCEEDED);

        Warehouse dailyWh = new Warehouse(spark, daily.warehouse());
        Warehouse onceWh = new Warehouse(spark, once.warehouse());
        assertThat(dailyWh.read(Runs.TABLE).count()).isEqualTo(DAYS);
        assertThat(onceWh.read(Tickets.TABLE).count()).isGreaterThan(50);
        assertThat(Frames.tables(dailyWh, Layer.SILVER, Layer.GOLD))
                .isEqualTo(Frames.tables(onceWh, Layer.SILVER, Layer.GOLD));
    }
}
