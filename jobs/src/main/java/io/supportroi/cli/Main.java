package io.supportroi.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

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
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println("supportroi: " + e.getMessage());
                return BAD_ARGUMENTS;
            }
            if (e instanceof io.supportroi.ops.RunLock.Busy) {
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
        return cl.execute(args);
    }
}
