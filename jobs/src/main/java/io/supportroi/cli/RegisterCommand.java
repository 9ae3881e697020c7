package io.supportroi.cli;

import io.supportroi.config.Settings;
import io.supportroi.ops.Progress;
import io.supportroi.ops.SparkSessions;
import io.supportroi.ops.Warehouse;
import io.supportroi.ops.WarehouseCatalog;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "register", mixinStandardHelpOptions = true,
        description = "Register every table of the warehouse in the configured Hive metastore (supportroi.catalog), "
                + "as nightly does after each run: for a warehouse built before the metastore was configured.")
public final class RegisterCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    WarehouseOption warehouse;

    @Override
    public Integer call() {
        Settings settings = common.settings(null, warehouse.warehouse);
        WarehouseOption.checkExists(settings.warehouse());
        if (!settings.catalog().hiveMetastore()) {
            throw new UsageException("no Hive metastore configured: set supportroi.catalog.hive-metastore"
                    + " = true in a --conf file (and supportroi.catalog.metastore-uri for a shared one)");
        }
        SparkSession spark = SparkSessions.create(settings, "supportroi-register");
        int tables = WarehouseCatalog.register(new Warehouse(spark, settings.warehouse())).size();
        Progress.line("catalog", "%d table(s) registered in the Hive metastore", tables);
        return Main.OK;
    }
}
