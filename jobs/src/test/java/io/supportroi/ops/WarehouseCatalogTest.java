package io.supportroi.ops;

import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One JVM, two warehouses (the notebooks after a demo, a test suite, a long-lived session): {@code layer.table}
 * names the table of the warehouse registered last, never a stale one. Found when two test classes met in one JVM.
 */
@ExtendWith(SparkTest.class)
class WarehouseCatalogTest {
    @TempDir
    Path tmp;

    @Test
    void registeringAnotherWarehouseRepointsItsNames(SparkSession spark) {
        TableRef table = TableRef.gold("catalog_probe");
        Warehouse first = new Warehouse(spark, tmp.resolve("first").toString());
        Warehouse second = new Warehouse(spark, tmp.resolve("second's").toString());
        first.append(table, spark.range(3).toDF(), "run-1");
        second.append(table, spark.range(5).toDF(), "run-2");

        WarehouseCatalog.register(first);
        assertThat(spark.sql("SELECT count(*) FROM " + table.qualified()).first().getLong(0)).isEqualTo(3);
        WarehouseCatalog.register(second);
        assertThat(spark.sql("SELECT count(*) FROM " + table.qualified()).first().getLong(0)).isEqualTo(5);
        // Registering the same warehouse again keeps the entry, and dropping an entry never touched the files.
        WarehouseCatalog.register(second);
        assertThat(spark.sql("SELECT count(*) FROM " + table.qualified()).first().getLong(0)).isEqualTo(5);
        assertThat(first.read(table).count()).isEqualTo(3);
        spark.sql("DROP TABLE " + table.qualified());
    }
}
