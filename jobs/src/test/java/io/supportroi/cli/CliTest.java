package io.supportroi.cli;

import io.supportroi.testing.Fixtures;
import io.supportroi.testing.SparkTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line as a user drives it, in this JVM (the child-JVM runs are in the *IT tests). */
@ExtendWith(SparkTest.class)
class CliTest {
    @TempDir
    static Path tmp;
    private static String warehouse;

    record Run(int code, String out, String err) {}

    @BeforeAll
    static void nightly() {
        Path landing = Fixtures.copy("handwritten", tmp.resolve("landing"));
        warehouse = tmp.resolve("wh").toString();
        Run r = run("nightly", "--landing", landing.toString(), "--warehouse", warehouse, "--as-of", "2025-06-30");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("succeeded").contains("(as-of 2025-06-30)").contains("quarantined: 9");
    }

    @Test
    void sqlAddressesTablesByLayerAndPrintsCsv() {
        Run r = run("sql", "--warehouse", warehouse, "--format", "csv",
                "SELECT ticket_id, channel, resolution_hours FROM silver.tickets "
                        + "WHERE ticket_id IN ('zendesk:101', 'zendesk:102') ORDER BY ticket_id");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip().lines()).containsExactly(
                "ticket_id,channel,resolution_hours", "zendesk:101,chat,3.0", "zendesk:102,email,24.0");
    }

    @Test
    void sqlPrintsJsonAndAlignedTables() {
        Run json = run("sql", "--warehouse", warehouse, "--format", "json",
                "SELECT count(*) AS n FROM ops.quarantine");
        assertThat(json.out().strip()).isEqualTo("{\"n\":9}");
        Run table = run("sql", "--warehouse", warehouse,
                "SELECT metric, bucket, tickets FROM gold.resolution_time_vs_retention WHERE bucket_order = 0 ORDER BY metric");
        assertThat(table.out()).contains("| metric ").contains("| first_response_time |").contains("2 row(s)");
    }

    @Test
    void unknownTablesAndBadSqlAreClearErrorsWithoutStackTraces() {
        Run unknown = run("sql", "--warehouse", warehouse, "SELECT * FROM gold.no_such_table");
        assertThat(unknown.code()).isEqualTo(Main.BAD_ARGUMENTS);
        assertThat(unknown.err()).contains("no_such_table").doesNotContain("\tat ");
        Run bad = run("sql", "--warehouse", warehouse, "SELEC oops");
        assertThat(bad.code()).isEqualTo(Main.BAD_ARGUMENTS);
        assertThat(bad.err()).doesNotContain("\tat ");
    }

    @Test
    void badArgumentsExitWithTwo() {
        assertThat(run("nightly", "--as-of", "yesterday").code()).isEqualTo(Main.BAD_ARGUMENTS);
        assertThat(run("no-such-command").code()).isEqualTo(Main.BAD_ARGUMENTS);
        assertThat(run("sql", "--warehouse", warehouse, "--format", "xml", "SELECT 1").code()).isEqualTo(Main.BAD_ARGUMENTS);
    }

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
