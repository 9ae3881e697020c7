package io.supportroi.testing;

import io.supportroi.config.Settings;
import io.supportroi.ingest.BronzeIngest;
import io.supportroi.ops.Warehouse;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;

/**
 * A fixture landing copied under {@code dir} and ingested into a fresh warehouse beside it, with the test settings
 * pointed at both: the setup of every test that reads hand-written export files.
 */
public record FixtureLanding(Settings settings, Warehouse wh, List<BronzeIngest.SourceResult> ingested) {
    public static FixtureLanding ingest(SparkSession spark, String fixture, Path dir, String runId, Timestamp at) {
        Path landing = Fixtures.copy(fixture, dir.resolve("landing"));
        Settings settings = SparkTest.settings().withPaths(landing.toString(), dir.resolve("wh").toString());
        Warehouse wh = new Warehouse(spark, settings.warehouse());
        return new FixtureLanding(settings, wh,
                BronzeIngest.run(wh, settings.landing(), runId, at, settings.ingest().maxFileBytes()));
    }
}
