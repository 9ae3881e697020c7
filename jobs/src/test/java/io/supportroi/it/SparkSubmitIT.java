package io.supportroi.it;

import io.supportroi.analytics.ResolutionTimeVsRetention;
import io.supportroi.model.Tickets;
import io.supportroi.ops.Runs;
import io.supportroi.ops.Warehouse;
import io.supportroi.testing.ChildJvm;
import io.supportroi.testing.Fixtures;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded jar runs {@code nightly} through {@code org.apache.spark.deploy.SparkSubmit --master local[2]}, with
 * only Spark's own jars on the classpath, as spark-submit on a cluster would run it.
 */
@ExtendWith(SparkTest.class)
class SparkSubmitIT {
    @TempDir
    Path tmp;

    @Test
    void nightlyRunsUnderSparkSubmit(SparkSession spark) throws Exception {
        Path landing = Fixtures.copy("handwritten", tmp.resolve("landing"));
        Path warehouse = tmp.resolve("warehouse");
        ChildJvm.Result r = ChildJvm.run(ChildJvm.sparkClasspath(), "org.apache.spark.deploy.SparkSubmit",
                List.of("--master", "local[2]", "--class", "io.supportroi.cli.Main",
                        "--conf", "spark.ui.enabled=false",
                        // A dozen tiny files: interpreting each plan is faster than compiling it.
                        "--conf", "spark.sql.codegen.wholeStage=false",
                        ChildJvm.shadedJar().toAbsolutePath().toString(),
                        "nightly", "--landing", landing.toString(), "--warehouse", warehouse.toString()),
                tmp, 10);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("succeeded").contains("quarantined: 9");
        // Spark's INFO chatter is off from the moment the SparkContext starts (spark-submit's own first lines follow
        // the cluster's log4j2 configuration, as they should).
        String afterStart = r.output().substring(r.output().indexOf("[nightly]"));
        assertThat(afterStart).doesNotContain(" INFO ");

        Warehouse wh = new Warehouse(spark, warehouse.toString());
        assertThat(wh.read(Tickets.TABLE).count()).isEqualTo(7);
        assertThat(wh.read(ResolutionTimeVsRetention.TABLE).count()).isEqualTo(10);
        assertThat(wh.read(Runs.TABLE).count()).isEqualTo(1);
    }

    @Test
    void badArgumentsExitWithTwo() throws Exception {
        ChildJvm.Result r = ChildJvm.run(ChildJvm.sparkClasspath() + java.io.File.pathSeparator
                        + ChildJvm.shadedJar().toAbsolutePath(), "io.supportroi.cli.Main",
                List.of("nightly", "--as-of", "not-a-date"), tmp, 5);
        assertThat(r.exitCode()).as(r.output()).isEqualTo(2);
    }
}
