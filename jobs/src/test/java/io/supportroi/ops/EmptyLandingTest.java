package io.supportroi.ops;

import io.supportroi.config.Settings;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The first night of a new installation, before any export has arrived: the run succeeds with nothing to check or
 * compute, instead of failing on an as-of that no event defines (it once ended in "NullPointerException: date").
 */
@ExtendWith(SparkTest.class)
class EmptyLandingTest {
    @Test
    void aLandingWithoutFilesIsANightWithNothingToDo(SparkSession spark, @TempDir Path tmp) throws Exception {
        Path landing = Files.createDirectories(tmp.resolve("landing"));
        Settings settings = SparkTest.settings().withPaths(landing.toString(), tmp.resolve("wh").toString());

        Nightly.Summary night = Nightly.run(spark, settings, null);

        assertThat(night.status()).isEqualTo(Runs.SUCCEEDED);
        assertThat(night.asOf()).isNull();
        assertThat(night.stages()).extracting(Runs.Stage::stage, Runs.Stage::status).containsExactly(
                tuple(Nightly.INGEST, Runs.SUCCEEDED),
                tuple(Nightly.SILVER, Runs.SUCCEEDED),
                tuple(Nightly.QUALITY, Runs.SKIPPED),
                tuple(Nightly.GOLD, Runs.SKIPPED));
        Warehouse wh = new Warehouse(spark, settings.warehouse());
        assertThat(wh.listTables()).noneMatch(t -> t.layer() == Layer.GOLD);
        assertThat(wh.read(Runs.TABLE).count()).isEqualTo(1);
    }
}
