package io.supportroi.cli;

import io.supportroi.config.Settings;
import io.supportroi.ops.Progress;
import io.supportroi.ops.SparkSessions;
import io.supportroi.ops.Warehouse;
import io.supportroi.ops.WarehouseCatalog;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "Run SQL against the warehouse; tables are bronze.x, silver.x, gold.x, ops.x.")
public final class SqlCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--warehouse", paramLabel = "DIR", description = "warehouse folder (default: config / SUPPORTROI_WAREHOUSE)")
    String warehouse;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--limit", defaultValue = "1000", description = "rows printed at most (default ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--allow-write",
            description = "allow statements that change tables or the session (DDL, INSERT, DELETE, UPDATE, MERGE, "
                    + "SET); without it they are refused before anything runs")
    boolean allowWrite;

    @Parameters(index = "0", paramLabel = "SQL", description = "the query")
    String sql;

    @Override
    public Integer call() throws Exception {
        TablePrinter.Format f;
        try {
            f = TablePrinter.Format.valueOf(format.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--format must be table, csv or json, not " + format);
        }
        Settings settings = common.settings(null, warehouse);
        Progress.setQuiet(true);
        SparkSession spark = SparkSessions.create(settings, "supportroi-sql");
        WarehouseCatalog.register(new Warehouse(spark, settings.warehouse()));
        try {
            if (!allowWrite) {
                ReadOnlySql.check(spark, sql);
            }
            TablePrinter.print(spark.sql(sql), f, limit, System.out);
        } catch (Exception e) {
            // Spark's AnalysisException (and ParseException) are checked exceptions javac cannot see thrown.
            if (e instanceof org.apache.spark.sql.AnalysisException) {
                throw new IllegalArgumentException(e.getMessage().lines().findFirst().orElse("bad SQL"), e);
            }
            throw e;
        }
        return Main.OK;
    }
}
