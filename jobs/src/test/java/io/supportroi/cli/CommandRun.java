package io.supportroi.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One command line run in this JVM through {@link Main#execute(PrintWriter, PrintWriter, String...)}: {@code out} and
 * {@code err} are what the command itself said, {@code stdout} what it printed to the process's standard output
 * (results and summaries). Spark's and log4j's lines go to the process's stderr, not here.
 */
record CommandRun(int code, String out, String err, String stdout) {
    static synchronized CommandRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        int code;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        } finally {
            System.setOut(previous);
        }
        return new CommandRun(code, out.toString(), err.toString(), stdout.toString(StandardCharsets.UTF_8));
    }

    /**
     * Exit code 2 and exactly one line on stderr, "supportroi: " and the reason: no usage help, no stack trace, no
     * exception's class name.
     */
    void assertOneLineBadArgument() {
        assertThat(code).as(toString()).isEqualTo(Main.BAD_ARGUMENTS);
        assertThat(err.lines().toList()).as(toString()).hasSize(1)
                .allSatisfy(line -> assertThat(line).startsWith("supportroi: ").doesNotContain("Exception")
                        .doesNotContain("\tat "));
    }

    @Override
    public String toString() {
        return "exit " + code + "\n--- out\n" + out + "--- err\n" + err + "--- stdout\n" + stdout;
    }
}
