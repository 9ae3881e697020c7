package io.supportroi.it;

import io.supportroi.config.Settings;
import io.supportroi.model.Tickets;
import io.supportroi.ops.Layer;
import io.supportroi.ops.Nightly;
import io.supportroi.ops.Runs;
import io.supportroi.ops.SparkSessions;
import io.supportroi.ops.TableRef;
import io.supportroi.ops.Warehouse;
import io.supportroi.testing.ChildJvm;
import io.supportroi.testing.Fixtures;
import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import io.supportroi.testing.StandaloneCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded jar as a cluster runs it: {@code org.apache.spark.deploy.SparkSubmit} with only Spark's own jars on the
 * classpath, submitting {@code nightly} to a standalone master whose worker runs the executors in JVMs of their own.
 */
@ExtendWith(SparkTest.class)
class SparkSubmitIT {
    private static final String SHUFFLE_PARTITIONS = "spark.sql.shuffle.partitions";

    @TempDir
    Path tmp;

    @Test
    void nightlySubmittedToAStandaloneClusterBuildsWhatALocalRunBuilds(SparkSession spark) throws Exception {
        Path landing = Fixtures.copy("handwritten", tmp.resolve("landing"));
        Path clusterWarehouse = tmp.resolve("warehouse-cluster");
        // The local-mode reference runs in this JVM while the cluster works: the cluster's run is mostly round
        // trips between its JVMs, which leave the two cores room.
        Settings local = SparkTest.settings().withPaths(landing.toString(), tmp.resolve("warehouse-local").toString());
        CompletableFuture<Nightly.Summary> localRun = CompletableFuture.supplyAsync(
                () -> Nightly.run(spark, local, null));
        ChildJvm.Result r;
        String workerLog;
        try (StandaloneCluster cluster = StandaloneCluster.start(tmp, 2, "2g")) {
            List<String> submit = new ArrayList<>(List.of("--master", cluster.masterUrl(), "--deploy-mode", "client",
                    "--class", "io.supportroi.cli.Main",
                    "--conf", "spark.executor.memory=1g",
                    "--conf", "spark.ui.enabled=false",
                    // A short run: C2 would compile for work the executor never does (as ChildJvm's).
                    "--conf", "spark.executor.extraJavaOptions=-XX:TieredStopAtLevel=1 "
                            + "-XX:ReservedCodeCacheSize=256m"));
            // A dozen tiny files: the Spark settings a local run picks for small data (interpreted plans, no
            // broadcasts), since every extra job is a round trip to the executor. A cluster run does not pick them
            // itself. Interpreting on the executor too: IT 199 -> 165 s. And one shuffle partition, as a local run
            // picks below supportroi.spark.one-partition-mb: each task deserialises its stage's plan again.
            SparkSessions.forSmallData().forEach((key, value) -> {
                if (key.startsWith("spark.") && !key.equals(SHUFFLE_PARTITIONS)) {
                    submit.addAll(List.of("--conf", key + "=" + value));
                }
            });
            submit.addAll(List.of("--conf", SHUFFLE_PARTITIONS + "=1"));
            submit.addAll(List.of(ChildJvm.shadedJar().toAbsolutePath().toString(),
                    "nightly", "--landing", landing.toString(), "--warehouse", clusterWarehouse.toString()));
            r = ChildJvm.run(ChildJvm.sparkClasspath(), "org.apache.spark.deploy.SparkSubmit", submit,
                    tmp, cluster.env(), 15);
            workerLog = cluster.workerLog();
        }
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("succeeded").contains("quarantined: 9");
        // The work ran on the cluster's executors, not in the driver.
        assertThat(workerLog).as(workerLog).contains("Asked to launch executor");
        // Spark's INFO chatter is off from the moment the SparkContext starts (spark-submit's own first lines follow
        // the cluster's log4j2 configuration, as they should).
        String afterStart = r.output().substring(r.output().indexOf("[nightly]"));
        assertThat(afterStart).doesNotContain(" INFO ");

        assertThat(localRun.get(15, TimeUnit.MINUTES).status()).isEqualTo(Runs.SUCCEEDED);
        Map<TableRef, List<String>> onCluster = Frames.tables(new Warehouse(spark, clusterWarehouse.toString()),
                Layer.SILVER, Layer.GOLD);
        Map<TableRef, List<String>> inLocalMode = Frames.tables(new Warehouse(spark, local.warehouse()),
                Layer.SILVER, Layer.GOLD);
        assertThat(onCluster.keySet()).contains(Tickets.TABLE).hasSizeGreaterThan(20);
        assertThat(onCluster).isEqualTo(inLocalMode);
        assertThat(new Warehouse(spark, clusterWarehouse.toString()).read(Runs.TABLE).count()).isEqualTo(1);
    }

    @Test
    void badArgumentsExitWithTwo() throws Exception {
        ChildJvm.Result r = ChildJvm.run(ChildJvm.sparkClasspath() + java.io.File.pathSeparator
                        + ChildJvm.shadedJar().toAbsolutePath(), "io.supportroi.cli.Main",
                List.of("nightly", "--as-of", "not-a-date"), tmp, 5);
        assertThat(r.exitCode()).as(r.output()).isEqualTo(2);
    }
}
