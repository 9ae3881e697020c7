package io.supportroi.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One command line run in this JVM through {@link Main#execute(PrintWriter, PrintWriter, String...)}: {@code out} and
 * {@code err} are what the command itself said. Spark's and log4j's lines go to the process's stderr, not here.
 */
record CommandRun(int code, String out, String err) {
    static CommandRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CommandRun(code, out.toString(), err.toString());
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
        return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
    }
}
