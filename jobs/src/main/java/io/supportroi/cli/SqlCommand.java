package io.supportroi.cli;

import io.supportroi.config.Settings;
import io.supportroi.ops.Progress;
import io.supportroi.ops.SparkSessions;
import io.supportroi.ops.Warehouse;
import io.supportroi.ops.ReadOnlySql;
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

    @Mixin
    WarehouseOption warehouse;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--limit", defaultValue = "1000", description = "rows printed at most (default ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--allow-write",
            description = "allow statements that change tables or the session (DDL, INSERT, DELETE, UPDATE, MERGE, "
                    + "SET); without it they are refused before anything runs")
    boolean allowWrite;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SQL",
            description = "the query; without it, statements are read from standard input, each ended by ';' "
                    + "(an interactive session on a terminal; quit or exit ends it)")
    String sql;

    @Override
    public Integer call() throws Exception {
        TablePrinter.Format f;
        try {
            f = TablePrinter.Format.valueOf(format.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--format must be table, csv or json, not " + format);
        }
        Settings settings = common.settings(null, warehouse.warehouse);
        Progress.setQuiet(true);
        SparkSession spark = SparkSessions.create(settings, "supportroi-sql");
        // With a Hive metastore the tables are already there, registered by nightly: its catalog is what every
        // client sees, this one included. Otherwise this session registers them for itself.
        if (!settings.catalog().hiveMetastore()) {
            WarehouseCatalog.register(new Warehouse(spark, settings.warehouse()));
        }
        if (sql != null) {
            run(spark, sql, f);
            return Main.OK;
        }
        return interactive(spark, f, new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                java.nio.charset.StandardCharsets.UTF_8)), System.console() != null);
    }

    private void run(SparkSession spark, String statement, TablePrinter.Format f) throws Exception {
        try {
            if (!allowWrite) {
                ReadOnlySql.check(spark, statement);
            }
            TablePrinter.print(spark.sql(statement), f, limit, System.out);
        } catch (Exception e) {
            // Spark's AnalysisException (and ParseException) are checked exceptions javac cannot see thrown.
            if (e instanceof org.apache.spark.sql.AnalysisException) {
                throw new IllegalArgumentException(e.getMessage().lines().findFirst().orElse("bad SQL"), e);
            }
            throw e;
        }
    }

    /**
     * Statements from {@code in}, each ended by a semicolon at the end of a line. A statement that fails prints its
     * error and the session goes on; the exit code is that of the last statement (0, or 2 for bad SQL).
     */
    int interactive(SparkSession spark, TablePrinter.Format f, java.io.BufferedReader in, boolean prompt)
            throws Exception {
        int code = Main.OK;
        StringBuilder statement = new StringBuilder();
        if (prompt) {
            System.err.println("supportroi sql: tables are bronze.x, silver.x, gold.x, ops.x (SHOW TABLES IN gold);"
                    + " end each statement with ';', quit with 'quit' or Ctrl-D");
        }
        while (true) {
            if (prompt) {
                System.err.print(statement.length() == 0 ? "supportroi> " : "        -> ");
                System.err.flush();
            }
            String line = in.readLine();
            if (line == null) {
                break;
            }
            String trimmed = line.strip();
            if (statement.length() == 0 && (trimmed.equalsIgnoreCase("quit") || trimmed.equalsIgnoreCase("exit")
                    || trimmed.equalsIgnoreCase("quit;") || trimmed.equalsIgnoreCase("exit;"))) {
                break;
            }
            statement.append(line).append('\n');
            if (!trimmed.endsWith(";")) {
                continue;
            }
            String text = statement.toString().strip();
            statement.setLength(0);
            text = text.substring(0, text.length() - 1).strip();
            if (text.isEmpty()) {
                continue;
            }
            try {
                run(spark, text, f);
                code = Main.OK;
            } catch (IllegalArgumentException e) {
                System.err.println("supportroi: " + e.getMessage());
                code = Main.BAD_ARGUMENTS;
            }
        }
        if (!statement.toString().isBlank()) {
            System.err.println("supportroi: statement without a closing ';' not run: "
                    + statement.toString().strip().lines().findFirst().orElse(""));
            code = Main.BAD_ARGUMENTS;
        }
        return code;
    }
}
