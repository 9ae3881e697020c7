package io.supportroi.e2e;

import io.supportroi.generate.Generator;
import io.supportroi.generate.GeneratorOptions;
import io.supportroi.ops.Layer;
import io.supportroi.ops.Warehouse;
import io.supportroi.testing.ChildJvm;
import io.supportroi.testing.SparkTest;
import io.supportroi.testing.TableDigests;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The business of issue 23 (3,000 customers, 4 months, seed 808), whose silver.orders once came out 5,904 rows in one
 * run and 5,910 in another: several rounds of three nightly runs at once, each in its own JVM with the default
 * settings, into fresh warehouses, on this machine's two cores. Every run must give the same silver and gold tables.
 * Slow (each round is three full runs fighting for two cores): {@code bin/test -Pslow}; rounds with
 * {@code -Dsupportroi.load.rounds=N}.
 */
@Tag("slow")
@ExtendWith(SparkTest.class)
class SameFilesUnderLoadTest {
    private static final int RUNS_AT_ONCE = 3;

    @Test
    void concurrentRunsUnderLoadGiveTheSameTables(SparkSession spark, @TempDir Path tmp) throws Exception {
        Path landing = tmp.resolve("landing");
        Generator.run(spark, new GeneratorOptions(landing.toString(), 3000, 4, LocalDate.parse("2025-01-01"), 808L,
                null));
        Path conf = Files.writeString(tmp.resolve("no-exports.conf"), "supportroi.exports.gold = false\n");
        int rounds = Integer.getInteger("supportroi.load.rounds", 3);
        Map<String, TableDigests.Digest> reference = null;
        for (int round = 1; round <= rounds; round++) {
            List<ChildJvm.Started> runs = new ArrayList<>();
            List<Path> warehouses = new ArrayList<>();
            for (int i = 1; i <= RUNS_AT_ONCE; i++) {
                Path wh = tmp.resolve("wh-" + round + "-" + i);
                warehouses.add(wh);
                runs.add(ChildJvm.start(System.getProperty("java.class.path"), "io.supportroi.cli.Main",
                        List.of("nightly", "--landing", landing.toString(), "--warehouse", wh.toString(),
                                "--conf", conf.toString()),
                        tmp, Map.of("SPARK_LOCAL_IP", "127.0.0.1")));
            }
            for (ChildJvm.Started run : runs) {
                assertThat(run.process().waitFor()).as(run.output()).isZero();
            }
            for (Path wh : warehouses) {
                Map<String, TableDigests.Digest> digests = TableDigests.of(new Warehouse(spark, wh.toString()),
                        Layer.SILVER, Layer.GOLD);
                if (reference == null) {
                    reference = digests;
                    assertThat(digests.get("silver.orders").exact().get(0)).isEqualTo("rows=5910");
                }
                assertThat(TableDigests.differences(reference, digests)).as(wh.toString()).isEmpty();
            }
        }
    }
}
