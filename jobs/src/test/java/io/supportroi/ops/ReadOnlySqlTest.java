package io.supportroi.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.supportroi.ops.ReadOnlySql.Permissions;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sql command's guard against Spark 4.1's real parser with Delta's extension: nothing runs here, each statement
 * is only parsed and judged. The command-line runs of the same statements, against a warehouse, are in
 * cli.SqlGuardCliTest.
 */
@ExtendWith(SparkTest.class)
class ReadOnlySqlTest {
    private static final Permissions WRITE = new Permissions(true, false);
    private static final Permissions FILES = new Permissions(false, true);
    private static final Permissions BOTH = new Permissions(true, true);

    private static final String READ_ONLY = "read-only";
    private static final String CODE = "never runs code";
    private static final String PATH = "--allow-files";
    private static final String UNCHECKABLE = "cannot be checked";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            RESTORE TABLE ops.runs TO VERSION AS OF 0                                | read-only
            VACUUM gold.x                                                            | read-only
            OPTIMIZE gold.x                                                          | read-only
            REORG TABLE gold.x APPLY (PURGE)                                         | read-only
            CONVERT TO DELTA parquet.`/tmp/x`                                        | read-only
            CREATE TABLE t2 SHALLOW CLONE gold.x                                     | read-only
            DELETE FROM delta.`/tmp/x`                                               | read-only
            DROP TABLE gold.x                                                        | read-only
            INSERT INTO gold.x SELECT * FROM gold.x                                  | read-only
            INSERT OVERWRITE DIRECTORY '/tmp/out' USING parquet SELECT 1             | read-only
            DECLARE VARIABLE v INT DEFAULT 1                                         | read-only
            SET VARIABLE v = 2                                                       | read-only
            CALL sys.foo(1)                                                          | read-only
            CACHE TABLE gold.x                                                       | read-only
            UNCACHE TABLE gold.x                                                     | read-only
            CLEAR CACHE                                                              | read-only
            REFRESH TABLE gold.x                                                     | read-only
            REFRESH '/tmp'                                                           | read-only
            LOAD DATA LOCAL INPATH '/tmp/x' INTO TABLE gold.x                        | read-only
            MSCK REPAIR TABLE gold.x                                                 | read-only
            SET spark.sql.shuffle.partitions = 1                                     | read-only
            USE gold                                                                 | read-only
            EXPLAIN DELETE FROM gold.x                                               | read-only
            SELECT java_method('java.lang.System', 'getProperty', 'user.name')       | never runs code
            SELECT REFLECT('java.lang.System', 'exit', 0)                            | never runs code
            SELECT * FROM gold.x WHERE a IN (SELECT try_reflect('a', 'b'))           | never runs code
            WITH c AS (SELECT reflect('a', 'b') AS r) SELECT * FROM c                | never runs code
            SELECT transform(array(1), x -> java_method('a', 'b', x))                | never runs code
            SELECT row_number() OVER w FROM gold.x WINDOW w AS (PARTITION BY reflect('a', 'b'))   | never runs code
            SELECT * FROM spark_catalog.delta.`/tmp/x`                               | --allow-files
            SELECT * FROM (WITH c AS (SELECT 1) SELECT * FROM c) JOIN c              | is neither
            WITH c AS (SELECT * FROM c) SELECT * FROM c                              | is neither
            WITH a AS (SELECT * FROM b), b AS (SELECT 1) SELECT * FROM a             | is neither
            SELECT EXISTS(SELECT builtin.reflect('a', 'b'))                          | never runs code
            SELECT TRANSFORM(a) USING 'cat' FROM gold.x                              | never runs code
            ADD JAR /tmp/x.jar                                                       | never runs code
            ADD FILE /tmp/x                                                          | never runs code
            ADD ARCHIVE /tmp/x.zip                                                   | never runs code
            CREATE TEMPORARY FUNCTION f AS 'java.lang.String'                        | never runs code
            CREATE TEMPORARY FUNCTION f() RETURNS INT RETURN 1                       | never runs code
            CREATE FUNCTION f AS 'x.Y'                                               | never runs code
            EXECUTE IMMEDIATE 'SELECT 1'                                             | cannot be checked
            BEGIN SELECT 1; END                                                      | cannot be checked
            SELECT * FROM IDENTIFIER('text.`/etc/hostname`')                         | cannot be checked
            SELECT IDENTIFIER('java_method')('a', 'b')                               | cannot be checked
            SELECT * FROM text.`/etc/hostname`                                       | --allow-files
            SELECT * FROM delta.`/tmp/x`                                             | --allow-files
            SELECT * FROM parquet.`/tmp/x`                                           | --allow-files
            SELECT * FROM json.`/tmp/x`                                              | --allow-files
            SELECT * FROM csv.`/tmp/x`                                               | --allow-files
            SELECT * FROM binaryFile.`/tmp`                                          | --allow-files
            SELECT * FROM orc.`/tmp/x`                                               | --allow-files
            SELECT * FROM gold.x WHERE EXISTS (SELECT * FROM text.`/etc/hostname`)   | --allow-files
            EXPLAIN SELECT * FROM json.`/etc/x.json`                                 | --allow-files
            DESCRIBE delta.`/tmp/x`                                                  | --allow-files
            SHOW COLUMNS IN json.`/tmp/x`                                            | --allow-files
            DESCRIBE HISTORY '/tmp/x'                                                | --allow-files
            DESCRIBE DETAIL delta.`/tmp/x`                                           | --allow-files
            SELECT from_protobuf(a, 'M', '/etc/x.desc') FROM gold.x                  | --allow-files
            SELECT * FROM gold.x WITH ('path' = '/etc')                              | --allow-files
            SELECT * FROM customers                                                  | is neither
            SELECT * FROM scratch.t                                                  | is neither
            SELECT * FROM table_changes_by_path('/tmp/x', 0)                         | --allow-files
            SELECT * FROM my_tvf(1)                                                  | built-in table functions
            SELECT my_udf(1)                                                         | built-in functions
            SELECT session.f(1)                                                      | built-in functions
            """)
    void refusedWithoutFlags(String sql, String reason, SparkSession spark) {
        assertRefused(spark, sql, Permissions.READ_ONLY, reason);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "SELECT * FROM gold.x",
            "SELECT * FROM spark_catalog.gold.x",
            "TABLE ops.runs",
            "SELECT a, count(*) FROM gold.x GROUP BY a HAVING count(*) > 1 ORDER BY a LIMIT 5 OFFSET 1",
            "WITH c AS (SELECT * FROM silver.tickets) SELECT * FROM c JOIN gold.x USING (id)",
            "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r",
            "SELECT * FROM (WITH c AS (SELECT 1) SELECT * FROM c)",
            "SELECT * FROM gold.x WHERE a IN (SELECT a FROM bronze.y) AND EXISTS (SELECT 1 FROM ops.runs)",
            "SELECT * FROM gold.x PIVOT (sum(v) FOR k IN ('a', 'b'))",
            "SELECT * FROM gold.x UNPIVOT (v FOR k IN (a, b))",
            "SELECT * FROM gold.x LATERAL VIEW OUTER posexplode(a) t AS p, e",
            "SELECT a, row_number() OVER w FROM gold.x WINDOW w AS (ORDER BY a)",
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY a), count(*) FILTER (WHERE a > 1) FROM gold.x",
            "SELECT /*+ BROADCAST(y) */ * FROM gold.x x, LATERAL (SELECT x.a) JOIN silver.y y ON true",
            "FROM gold.x |> WHERE a > 1 |> AGGREGATE count(*) GROUP BY a",
            "SELECT * FROM VALUES (abs(-1), 2) AS t(a, b)",
            "SELECT * FROM range(3) AS t(a)",
            "SELECT * FROM gold.x VERSION AS OF 1 TABLESAMPLE (10 PERCENT)",
            "SELECT builtin.abs(-1), system.builtin.abs(-1), transform(array(1), x -> x + 1)",
            "SELECT 1 UNION SELECT 2 INTERSECT SELECT 2 EXCEPT SELECT 3",
            "SHOW TABLES IN gold",
            "SHOW TABLE EXTENDED IN gold LIKE '*'",
            "SHOW DATABASES",
            "SHOW FUNCTIONS",
            "SHOW COLUMNS IN gold.x",
            "SHOW TBLPROPERTIES gold.x",
            "SHOW CREATE TABLE gold.x",
            "DESCRIBE gold.x",
            "DESCRIBE TABLE EXTENDED gold.x",
            "DESCRIBE DATABASE gold",
            "DESCRIBE FUNCTION reflect",
            "DESCRIBE QUERY SELECT * FROM gold.x",
            "DESCRIBE HISTORY gold.x",
            "DESCRIBE DETAIL gold.x",
            "EXPLAIN SELECT * FROM gold.x",
            "EXPLAIN EXTENDED WITH c AS (SELECT 1) SELECT * FROM c"})
    void queriesAndDescriptionsOfTheWarehouseAreAllowed(String sql, SparkSession spark) {
        assertThatCode(() -> ReadOnlySql.check(spark, sql)).doesNotThrowAnyException();
    }

    @Test
    void filesAllowReadingByPathButNothingMore(SparkSession spark) {
        for (String read : List.of("SELECT * FROM text.`/etc/hostname`", "SELECT * FROM delta.`/tmp/x`",
                "DESCRIBE HISTORY '/tmp/x'", "SELECT * FROM gold.x WITH ('versionAsOf' = '1')")) {
            assertThatCode(() -> ReadOnlySql.check(spark, read, FILES)).as(read).doesNotThrowAnyException();
        }
        assertRefused(spark, "INSERT OVERWRITE DIRECTORY '/tmp/out' USING parquet SELECT 1", FILES, READ_ONLY);
        assertRefused(spark, "DELETE FROM delta.`/tmp/x`", FILES, READ_ONLY);
        assertRefused(spark, "SELECT java_method('a', 'b') FROM text.`/etc/hostname`", FILES, CODE);
    }

    @Test
    void writesAllowChangesButNeverCodeAndPathsStillNeedFiles(SparkSession spark) {
        for (String write : List.of("DROP TABLE gold.x", "RESTORE TABLE ops.runs TO VERSION AS OF 0",
                "CREATE OR REPLACE TEMPORARY VIEW v AS SELECT 1", "SET spark.sql.shuffle.partitions = 1",
                "INSERT INTO scratch.t SELECT * FROM gold.x", "CACHE TABLE gold.x", "DECLARE VARIABLE v INT")) {
            assertThatCode(() -> ReadOnlySql.check(spark, write, WRITE)).as(write).doesNotThrowAnyException();
        }
        for (String code : List.of("CREATE TEMP VIEW v AS SELECT reflect('a', 'b')",
                "SET VAR v = (SELECT reflect('a', 'b'))", "ADD JAR /tmp/x.jar",
                "CREATE TEMPORARY FUNCTION f AS 'java.lang.String'", "INSERT INTO gold.x SELECT try_reflect('a', 'b')")) {
            assertRefused(spark, code, WRITE, CODE);
            assertRefused(spark, code, BOTH, CODE);
        }
        for (String kept : List.of("CREATE TABLE t USING delta AS SELECT 1 AS a", "CREATE TABLE t (a INT)",
                "CREATE TABLE t LIKE gold.x", "CREATE TABLE t SHALLOW CLONE gold.x",
                "ALTER TABLE gold.x SET TBLPROPERTIES ('a' = 'b')")) {
            assertThatCode(() -> ReadOnlySql.check(spark, kept, WRITE)).as(kept).doesNotThrowAnyException();
        }
        assertRefused(spark, "CREATE TABLE t LIKE text.`/etc/hostname`", WRITE, PATH);
        for (String path : List.of("CREATE DATABASE x LOCATION '/tmp/x'", "ALTER DATABASE gold SET LOCATION '/tmp/x'",
                "SELECT * FROM table_changes_by_path('/tmp/x', 0)", "CREATE TABLE delta.`/tmp/x` USING delta AS SELECT 1",
                "REPLACE TABLE spark_catalog.delta.`/tmp/x` USING delta AS SELECT 1", "DROP TABLE delta.`/tmp/x`")) {
            assertRefused(spark, path, WRITE, PATH);
            assertThatCode(() -> ReadOnlySql.check(spark, path, BOTH)).as(path).doesNotThrowAnyException();
        }
        for (String setting : List.of("SET spark.sql.catalog.j = org.apache.spark.sql.execution.datasources.v2.jdbc"
                + ".JDBCTableCatalog", "SET spark.sql.runSQLOnFiles = true", "SET spark.sql.sources.default = text",
                "SET spark.sql.legacy.allowUntypedScalaUDF = true", "RESET", "RESET spark.sql.runSQLOnFiles")) {
            assertRefused(spark, setting, BOTH, "sets only how queries run");
        }
        for (String setting : List.of("SET spark.sql.session.timeZone = UTC", "SET TIME ZONE 'UTC'",
                "SET spark.sql.adaptive.enabled = false", "RESET spark.sql.shuffle.partitions",
                "SET spark.sql.runSQLOnFiles", "SET")) {
            assertThatCode(() -> ReadOnlySql.check(spark, setting, WRITE)).as(setting).doesNotThrowAnyException();
        }
        assertRefused(spark, "SELECT row_number() OVER w FROM gold.x WINDOW w AS (ORDER BY java_method('a', 'b'))",
                BOTH, CODE);
        assertRefused(spark, "EXECUTE IMMEDIATE 'SELECT 1'", BOTH, UNCHECKABLE);
        assertRefused(spark, "BEGIN DECLARE x INT; SET x = 1; END", BOTH, UNCHECKABLE);
        for (String path : List.of("DELETE FROM delta.`/tmp/x`", "VACUUM '/tmp/x'", "OPTIMIZE '/tmp/x'",
                "CONVERT TO DELTA parquet.`/tmp/x`", "LOAD DATA LOCAL INPATH '/tmp/x' INTO TABLE gold.x",
                "INSERT OVERWRITE DIRECTORY '/tmp/out' USING parquet SELECT 1",
                "CREATE TABLE t USING text LOCATION '/etc'", "CREATE TABLE t USING text OPTIONS (path '/etc')",
                "CREATE TEMPORARY VIEW v USING parquet OPTIONS (path '/etc')",
                "INSERT INTO gold.x SELECT * FROM text.`/etc/hostname`", "REFRESH '/tmp'",
                "ALTER TABLE gold.x SET LOCATION '/etc'", "ALTER TABLE gold.x PARTITION (p = 1) SET LOCATION '/etc'",
                "ALTER TABLE gold.x ADD PARTITION (p = 1) LOCATION '/etc'",
                "CREATE TABLE t LIKE gold.x LOCATION '/etc'", "CREATE TABLE t LIKE gold.x USING text",
                "CREATE TABLE t SHALLOW CLONE gold.x LOCATION '/tmp/x'",
                "SELECT * FROM spark_catalog.delta.`/tmp/x`", "DELETE FROM spark_catalog.delta.`/tmp/x`",
                "CREATE TABLE t USING jdbc OPTIONS (url 'jdbc:h2:mem:x', dbtable 'y')",
                "CREATE TEMPORARY VIEW v USING jdbc OPTIONS (url 'jdbc:h2:mem:x', dbtable 'y')",
                "CREATE TABLE t USING delta OPTIONS (path '/tmp/x')",
                "CREATE TABLE t (a INT) STORED AS TEXTFILE", "REPLACE TABLE t USING text AS SELECT 1 AS a")) {
            assertRefused(spark, path, WRITE, PATH);
            assertThatCode(() -> ReadOnlySql.check(spark, path, BOTH)).as(path).doesNotThrowAnyException();
        }
    }

    @Test
    void unparseableSqlIsOneLine(SparkSession spark) {
        assertRefused(spark, "SELEC oops", Permissions.READ_ONLY, "");
    }

    /** spark.sql runs several statements as a script: a harmless first one must not carry a second through. */
    @Test
    void aSecondStatementIsNotSmuggledIn(SparkSession spark) {
        assertRefused(spark, "SELECT 1; DROP TABLE gold.x", Permissions.READ_ONLY, "");
        assertRefused(spark, "SELECT 1; SELECT java_method('a', 'b')", BOTH, "");
    }

    /** What notebooks run passes the guard that now runs them: a stricter guard must not break them. */
    @Test
    void everyShippedNotebookCellIsAllowed(SparkSession spark) throws IOException {
        List<String> cells = notebookSql(Path.of("..", "notebooks"));
        assertThat(cells).hasSizeGreaterThan(10);
        for (String sql : cells) {
            assertThatCode(() -> ReadOnlySql.check(spark, sql)).as(sql).doesNotThrowAnyException();
        }
    }

    private static List<String> notebookSql(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path nb : files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList()) {
                for (JsonNode cell : json.readTree(nb.toFile()).get("cells")) {
                    StringBuilder source = new StringBuilder();
                    cell.get("source").forEach(line -> source.append(line.asText()));
                    String text = source.toString().strip();
                    if (cell.get("cell_type").asText().equals("code") && text.startsWith("%%sql")) {
                        int eol = text.indexOf('\n');
                        String sql = text.substring(eol + 1).strip();
                        out.add(sql.endsWith(";") ? sql.substring(0, sql.length() - 1) : sql);
                    }
                }
            }
        }
        return out;
    }

    private static void assertRefused(SparkSession spark, String sql, Permissions allowed, String reason) {
        assertThatThrownBy(() -> ReadOnlySql.check(spark, sql, allowed)).as(sql)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(e.getMessage()).as(sql + ": one line").doesNotContain("\n").isNotBlank());
    }
}
