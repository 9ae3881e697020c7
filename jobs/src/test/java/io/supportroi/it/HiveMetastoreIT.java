package io.supportroi.it;

import io.supportroi.analytics.pnl.SupportPnlMonthly;
import io.supportroi.ops.TableRef;
import io.supportroi.ops.Warehouse;
import io.supportroi.testing.ChildJvm;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tables registered in a Hive metastore outlive the process that registered them: one JVM registers a warehouse's
 * tables in an embedded Derby metastore ({@code register}, the step nightly ends with when a metastore is
 * configured), and a later one finds them there by name, registering nothing itself. Tagged slow (two child
 * JVMs, about two minutes): {@code mvn -Pslow verify} runs it.
 */
@Tag("slow")
@ExtendWith(SparkTest.class)
class HiveMetastoreIT {
    @TempDir
    Path tmp;

    @Test
    void registeredTablesAreFoundByNameInALaterProcess(SparkSession spark) throws Exception {
        Path warehouse = tmp.resolve("wh");
        Warehouse wh = new Warehouse(spark, warehouse.toString());
        TableRef other = TableRef.gold("hive_check");
        wh.overwriteIfChanged(SupportPnlMonthly.TABLE, spark.sql("SELECT '2025-01' AS month, true AS is_profit_center "
                + "UNION ALL SELECT '2025-02', false"), "it");
        wh.overwriteIfChanged(other, spark.sql("SELECT 1 AS one"), "it");
        Path conf = Files.writeString(tmp.resolve("hive.conf"), "supportroi.catalog.hive-metastore = true\n");
        String classpath = ChildJvm.sparkClasspath() + File.pathSeparator + ChildJvm.shadedJar().toAbsolutePath();

        ChildJvm.Result register = ChildJvm.run(classpath, "io.supportroi.cli.Main", List.of("register", "--conf",
                conf.toString(), "--warehouse", warehouse.toString()), tmp, 10);
        assertThat(register.exitCode()).as(register.output()).isZero();
        assertThat(register.output()).contains("[catalog] 2 table(s) registered in the Hive metastore");
        assertThat(warehouse.resolve("_metastore").resolve("metastore_db")).isDirectory();

        // sql does not register tables when a metastore is configured: what it finds is what the metastore kept.
        ChildJvm.Result query = ChildJvm.run(classpath, "io.supportroi.cli.Main", List.of("sql", "--conf",
                conf.toString(), "--warehouse", warehouse.toString(), "--format", "csv",
                "SELECT count_if(is_profit_center) AS profit, (SELECT count(*) FROM gold.hive_check) AS other "
                        + "FROM gold.support_pnl_monthly"), tmp, 10);
        assertThat(query.exitCode()).as(query.output()).isZero();
        // Spark may log between the header and the row.
        assertThat(query.output().lines()).containsSubsequence("profit,other", "1,1");

        ChildJvm.Result withoutMetastore = ChildJvm.run(classpath, "io.supportroi.cli.Main", List.of("register",
                "--warehouse", warehouse.toString()), tmp, 5);
        assertThat(withoutMetastore.exitCode()).isEqualTo(2);
        assertThat(withoutMetastore.output()).contains("no Hive metastore configured");
    }
}
