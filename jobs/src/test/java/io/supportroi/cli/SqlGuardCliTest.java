package io.supportroi.cli;

import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code sql} command refuses, through the command line, what would change the warehouse or the session, read the
 * machine's files or run code: exit code 2, one line on stderr, nothing run. "Nothing run" is checked where it can
 * be seen: no Delta table has a new version, no system property was set by a Java method, no temporary function
 * exists, and the secret file's text is not in the output. The statements' classification against the parser alone
 * is ops.ReadOnlySqlTest.
 */
@ExtendWith(SparkTest.class)
class SqlGuardCliTest {
    private static final String SECRET_TEXT = "the-secret-in-a-file-outside-the-warehouse";
    private static final String PWNED = "supportroi.test.pwned";
    private static final String SET_PROPERTY = "'java.lang.System', 'setProperty', '" + PWNED + "', 'yes'";

    @TempDir
    static Path tmp;
    private static String warehouse;
    private static Path secret;
    private static Map<String, Long> versions;

    @BeforeAll
    static void tinyWarehouse(SparkSession spark) throws IOException {
        warehouse = tmp.resolve("wh").toString();
        TinyWarehouse.create(spark, warehouse);
        versions = TinyWarehouse.versions(Path.of(warehouse));
        assertThat(versions).hasSize(4).containsEntry("gold.kpis", 1L).containsEntry("ops.runs", 1L);
        secret = Files.writeString(tmp.resolve("secret.txt"), SECRET_TEXT + "\n");
        Files.createDirectories(tmp.resolve("parquet"));
    }

    @AfterEach
    void nothingChanged(SparkSession spark) {
        assertThat(TinyWarehouse.versions(Path.of(warehouse))).isEqualTo(versions);
        assertThat(System.getProperty(PWNED)).as("a Java method ran").isNull();
        assertThat(spark.catalog().functionExists("sneaky")).as("a temporary function was made").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "RESTORE TABLE ops.runs TO VERSION AS OF 0",
            "RESTORE TABLE gold.kpis TO VERSION AS OF 0",
            "SELECT java_method(" + SET_PROPERTY + ")",
            "SELECT reflect(" + SET_PROPERTY + ")",
            "SELECT try_reflect(" + SET_PROPERTY + ")",
            "SELECT * FROM gold.kpis WHERE kpi IN (SELECT java_method(" + SET_PROPERTY + "))",
            "WITH c AS (SELECT reflect(" + SET_PROPERTY + ") AS r) SELECT * FROM c",
            "SELECT transform(array(1), x -> java_method(" + SET_PROPERTY + "))",
            "CREATE TEMP VIEW sneaky_view AS SELECT reflect(" + SET_PROPERTY + ")",
            "EXECUTE IMMEDIATE \"SELECT java_method(" + SET_PROPERTY + ")\"",
            "BEGIN SELECT java_method(" + SET_PROPERTY + "); END",
            "SELECT * FROM text.`/etc/hostname`",
            "SELECT * FROM text.`${secret}`",
            "SELECT * FROM csv.`${secret}`",
            "SELECT * FROM json.`${secret}`",
            "SELECT * FROM binaryFile.`${secret}`",
            "SELECT * FROM parquet.`${tmp}/parquet`",
            "SELECT * FROM gold.kpis WHERE EXISTS (SELECT * FROM text.`${secret}`)",
            "SELECT * FROM IDENTIFIER('text.`${secret}`')",
            "SELECT * FROM delta.`${wh}/gold/kpis`",
            "DELETE FROM delta.`${wh}/gold/kpis`",
            "DELETE FROM gold.kpis",
            "SELECT 1; DELETE FROM gold.kpis",
            "SELECT 1; SELECT java_method(" + SET_PROPERTY + ")",
            "DROP TABLE gold.kpis",
            "UPDATE gold.kpis SET value = 0",
            "MERGE INTO gold.kpis t USING silver.customers s ON false WHEN NOT MATCHED THEN INSERT *",
            "VACUUM gold.kpis RETAIN 0 HOURS",
            "OPTIMIZE gold.kpis",
            "CONVERT TO DELTA parquet.`${tmp}/parquet`",
            "ADD JAR ${tmp}/missing.jar",
            "ADD FILE ${secret}",
            "ADD ARCHIVE ${tmp}/missing.zip",
            "CREATE TEMPORARY FUNCTION sneaky AS 'java.lang.String'",
            "CREATE TEMPORARY FUNCTION sneaky() RETURNS INT RETURN 1",
            "DECLARE VARIABLE sneaky_var INT DEFAULT 1",
            "SET VARIABLE sneaky_var = 2",
            "CALL system.sneaky(1)",
            "CACHE TABLE gold.kpis",
            "UNCACHE TABLE gold.kpis",
            "REFRESH TABLE gold.kpis",
            "LOAD DATA LOCAL INPATH '${secret}' INTO TABLE gold.kpis",
            "MSCK REPAIR TABLE gold.kpis",
            "SELECT TRANSFORM(kpi) USING 'cat ${secret}' FROM gold.kpis",
            "INSERT OVERWRITE DIRECTORY '${tmp}/out' USING csv SELECT * FROM gold.kpis"})
    void hostileStatementsAreRefusedInOneLineAndNothingRuns(String statement) {
        CommandRun r = sql(statement.replace("${secret}", secret.toString()).replace("${tmp}", tmp.toString())
                .replace("${wh}", warehouse));
        r.assertOneLineBadArgument();
        assertThat(r.out()).doesNotContain(SECRET_TEXT).doesNotContain(hostname());
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void allowWriteDoesNotAllowCodeOrFiles() {
        sql("--allow-write", "SELECT java_method(" + SET_PROPERTY + ")").assertOneLineBadArgument();
        sql("--allow-write", "--allow-files", "SELECT reflect(" + SET_PROPERTY + ")").assertOneLineBadArgument();
        CommandRun file = sql("--allow-write", "SELECT * FROM text.`" + secret + "`");
        file.assertOneLineBadArgument();
        assertThat(file.err()).contains("--allow-files");
        assertThat(file.out()).doesNotContain(SECRET_TEXT);
    }

    @Test
    void aSelectRuns() {
        CommandRun select = sql("--format", "csv", "SELECT kpi, value FROM gold.kpis ORDER BY kpi");
        assertThat(select.code()).as(select.toString()).isZero();
        assertThat(select.out().lines()).containsExactly("kpi,value", "csat,0.9", "resolution_rate,0.8");
        assertThat(select.err()).isEmpty();
    }

    @Test
    void aCteRuns() {
        CommandRun cte = sql("--format", "csv", "WITH last AS (SELECT max(run_id) AS run_id FROM ops.runs) "
                + "SELECT r.status FROM ops.runs r JOIN last USING (run_id)");
        assertThat(cte.out().lines()).as(cte.toString()).containsExactly("status", "succeeded");
    }

    @Test
    void showTablesListsALayer() {
        CommandRun tables = sql("--format", "csv", "SHOW TABLES IN gold");
        assertThat(tables.code()).as(tables.toString()).isZero();
        assertThat(tables.out()).contains("gold,kpis");
    }

    @Test
    void describeAndDescribeHistoryRun() {
        CommandRun described = sql("--format", "csv", "DESCRIBE gold.kpis");
        assertThat(described.out().lines()).as(described.toString()).contains("kpi,string,", "value,double,");
        CommandRun history = sql("--format", "csv", "DESCRIBE HISTORY gold.kpis");
        assertThat(history.code()).as(history.toString()).isZero();
        assertThat(history.out().lines().skip(1)).as("one row per version").hasSize(2);
    }

    @Test
    void explainRuns() {
        CommandRun explained = sql("--format", "csv", "EXPLAIN SELECT * FROM silver.customers");
        assertThat(explained.code()).as(explained.toString()).isZero();
        assertThat(explained.out()).contains("Physical Plan").contains("customers");
    }

    @Test
    void allowFilesReadsAFileByPath() {
        CommandRun r = sql("--allow-files", "--format", "csv", "SELECT value FROM text.`" + secret + "`");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out().lines()).containsExactly("value", SECRET_TEXT);
    }

    @Test
    void helpSaysWhatIsRefusedAndNamesTheFlags() {
        CommandRun help = CommandRun.of("sql", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--allow-files").contains("--allow-write").contains("RESTORE")
                .contains("java_method").contains("text.`/etc/hostname`");
    }

    /**
     * The shipped settings for a small business, as CliTest passes them: the defaults (eight partitions, adaptive
     * plans) take several times as long on one-row tables.
     */
    private static CommandRun sql(String... args) {
        List<String> line = new ArrayList<>(List.of("sql", "--warehouse", warehouse, "--conf", SMALL_CONF));
        line.addAll(List.of(args));
        return CommandRun.of(line.toArray(String[]::new));
    }

    private static final String SMALL_CONF = Path.of("..", "conf", "small.conf").toAbsolutePath().toString();

    /** The machine's name, as /etc/hostname holds it; a text nobody would print otherwise. */
    private static String hostname() {
        try {
            String name = Files.readString(Path.of("/etc/hostname")).strip();
            return name.isEmpty() ? SECRET_TEXT : name;
        } catch (IOException e) {
            return SECRET_TEXT;
        }
    }
}
