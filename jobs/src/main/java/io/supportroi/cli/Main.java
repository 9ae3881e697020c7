package io.supportroi.cli;

import io.supportroi.config.BadInput;
import io.supportroi.ops.RunLock;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.time.LocalDate;

/**
 * Entry point for bin/supportroi and spark-submit alike. Exit codes: 0 ok, 1 failed, 2 bad arguments, 3 data-quality
 * gate failed, 4 the warehouse is busy with another run (nothing was done: retry later).
 */
@Command(name = "supportroi", mixinStandardHelpOptions = true, version = "supportroi 0.1.0",
        description = "Is customer support a cost or a profit center? Spark jobs that settle it with data.",
        subcommands = {GenerateCommand.class, NightlyCommand.class, BackfillCommand.class, SqlCommand.class,
                DemoCommand.class, StatusCommand.class, ReportCommand.class,
                NotebooksCommand.class, RegisterCommand.class, BenchCommand.class})
public final class Main implements Runnable {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_ARGUMENTS = 2;
    public static final int QUALITY_GATE_FAILED = 3;
    public static final int WAREHOUSE_BUSY = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /**
     * As {@link #execute(String...)}, with the command's own output and errors (results, help, the one-line errors)
     * going to {@code out} and {@code err}: tests read exactly what the command said, without Spark's log lines.
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.registerConverter(LocalDate.class, Arguments::date);
        // Picocli prints the whole usage help after a parse error; one line and where the help is says more.
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("supportroi: " + oneLine(e.getMessage()) + " (see '"
                    + failed.getCommandSpec().qualifiedName() + " --help')");
            return BAD_ARGUMENTS;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (isBadArgument(e)) {
                commandLine.getErr().println("supportroi: " + oneLine(e.getMessage()));
                return BAD_ARGUMENTS;
            }
            if (e instanceof RunLock.Busy) {
                commandLine.getErr().println("supportroi: " + e.getMessage());
                return WAREHOUSE_BUSY;
            }
            commandLine.getErr().println("supportroi: run failed: " + e);
            Throwable cause = e.getCause();
            while (cause != null) {
                commandLine.getErr().println("  caused by: " + cause);
                cause = cause.getCause();
            }
            if (System.getenv("SUPPORTROI_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
            } else {
                commandLine.getErr().println("  (set SUPPORTROI_DEBUG=1 for the stack trace)");
            }
            return FAILED;
        });
        cl.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? BAD_ARGUMENTS : FAILED);
        return cl;
    }

    /**
     * UsageException is what our commands throw for bad arguments, BadInput what the layers below throw for input the
     * user must fix (an effects file, a warehouse not built yet). Any other IllegalArgumentException, Spark's included,
     * is a failed run, reported with its causes: calling it "bad arguments" would hide a bug behind exit code 2.
     */
    private static boolean isBadArgument(Exception e) {
        return e instanceof UsageException || e instanceof BadInput;
    }

    /** The first non-blank line: Spark's messages go on with the plan, which is no help on a terminal. */
    static String oneLine(String message) {
        if (message == null) {
            return "bad arguments";
        }
        return message.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("bad arguments");
    }
}
