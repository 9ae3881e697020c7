package io.supportroi.cli;

import io.supportroi.config.Settings;
import io.supportroi.ops.Progress;
import io.supportroi.ops.ReadOnlySql;
import io.supportroi.ops.SparkSessions;
import io.supportroi.ops.Warehouse;
import io.supportroi.ops.WarehouseCatalog;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Run SQL against the warehouse; tables are bronze.x, silver.x, gold.x, ops.x.",
                "Read-only by default: queries, SHOW, DESCRIBE (HISTORY, DETAIL, QUERY) and EXPLAIN over the "
                        + "warehouse's tables and CTEs, with Spark's built-in functions. Anything else is refused "
                        + "with exit code 2 before it runs: DDL, INSERT, DELETE, UPDATE, MERGE, RESTORE, VACUUM, "
                        + "OPTIMIZE, CONVERT TO DELTA, CACHE/UNCACHE, REFRESH, LOAD DATA, MSCK, SET, USE, CALL, "
                        + "DECLARE/SET VARIABLE (these need --allow-write), tables named by path such as "
                        + "text.`/etc/hostname` or delta.`/path` (--allow-files), and always, whatever the flags, "
                        + "what runs code or cannot be checked before it runs: reflect, java_method, try_reflect, "
                        + "TRANSFORM ... USING, ADD JAR/FILE/ARCHIVE, CREATE FUNCTION (temporary or not), EXECUTE "
                        + "IMMEDIATE, SQL scripts (BEGIN ... END) and IDENTIFIER(...) names."})
public final class SqlCommand implements Callable<Integer> {
    /** Spark's switch for format.`path` relations: off unless --allow-files, behind ReadOnlySql's own check. */
    private static final String RUN_SQL_ON_FILES = "spark.sql.runSQLOnFiles";

    @Spec
    CommandSpec spec;

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
                    + "RESTORE, VACUUM, OPTIMIZE, CACHE, SET, variables, ...); still never code, and tables named "
                    + "by path still need --allow-files")
    boolean allowWrite;

    @Option(names = "--allow-files",
            description = "allow reading files by path: format.`path` relations (parquet, json, csv, text, "
                    + "binaryFile, delta, ...), Delta's '/path' forms, and with --allow-write LOAD DATA, INSERT "
                    + "OVERWRITE DIRECTORY and LOCATION")
    boolean allowFiles;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SQL",
            description = "the query; without it, statements are read from standard input, each ended by ';' "
                    + "(an interactive session on a terminal; quit or exit ends it)")
    String sql;

    @Override
    public Integer call() throws Exception {
        TablePrinter.Format f = format();
        Arguments.atLeastOne("--limit", limit);
        Settings settings = common.settings(null, warehouse.warehouse);
        WarehouseOption.checkExists(settings.warehouse());
        Progress.setQuiet(true);
        SparkSession spark = SparkSessions.create(settings, "supportroi-sql");
        if (sql != null) {
            // Judged before the tables are registered: a refused statement costs no catalog work.
            check(spark, sql);
        }
        // With a Hive metastore the tables are already there, registered by nightly: its catalog is what every
        // client sees, this one included. Otherwise this session registers them for itself.
        if (!settings.catalog().hiveMetastore()) {
            WarehouseCatalog.register(new Warehouse(spark, settings.warehouse()));
        }
        // Restored after: in tests other commands share this session.
        String onFiles = spark.conf().get(RUN_SQL_ON_FILES, "true");
        spark.conf().set(RUN_SQL_ON_FILES, Boolean.toString(allowFiles));
        try {
            if (sql != null) {
                run(spark, sql, f);
                return Main.OK;
            }
            return interactive(spark, f, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                    System.console() != null);
        } finally {
            spark.conf().set(RUN_SQL_ON_FILES, onFiles);
        }
    }

    private TablePrinter.Format format() {
        try {
            return TablePrinter.Format.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--format must be table, csv or json, not " + format);
        }
    }

    private void check(SparkSession spark, String statement) {
        try {
            ReadOnlySql.check(spark, statement, new ReadOnlySql.Permissions(allowWrite, allowFiles));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    private void run(SparkSession spark, String statement, TablePrinter.Format f) throws Exception {
        check(spark, statement);
        try {
            TablePrinter.print(spark.sql(statement), f, limit, out());
        } catch (Exception e) {
            // Spark's AnalysisException (and ParseException) are checked exceptions javac cannot see thrown.
            if (e instanceof AnalysisException) {
                throw new UsageException(Main.oneLine(e.getMessage()), e);
            }
            throw e;
        }
    }

    /**
     * Statements from {@code in}, each ended by a semicolon at the end of a line. A statement that fails prints its
     * error and the session goes on; the exit code is that of the last statement (0; 2 for bad SQL; 1 when it broke
     * as it ran).
     */
    int interactive(SparkSession spark, TablePrinter.Format f, BufferedReader in, boolean prompt) throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        int code = Main.OK;
        StringBuilder statement = new StringBuilder();
        if (prompt) {
            err.println("supportroi sql: tables are bronze.x, silver.x, gold.x, ops.x (SHOW TABLES IN gold);"
                    + " end each statement with ';', quit with 'quit' or Ctrl-D");
        }
        while (true) {
            if (prompt) {
                err.print(statement.length() == 0 ? "supportroi> " : "        -> ");
                err.flush();
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
            } catch (UsageException e) {
                err.println("supportroi: " + e.getMessage());
                err.flush();
                code = Main.BAD_ARGUMENTS;
            } catch (Exception e) {
                // A statement that breaks as it runs ends that statement, not the analyst's session.
                err.println("supportroi: statement failed: " + Main.oneLine(String.valueOf(e.getMessage())));
                err.flush();
                code = Main.FAILED;
            }
        }
        if (!statement.toString().isBlank()) {
            err.println("supportroi: statement without a closing ';' not run: "
                    + statement.toString().strip().lines().findFirst().orElse(""));
            code = Main.BAD_ARGUMENTS;
        }
        return code;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
