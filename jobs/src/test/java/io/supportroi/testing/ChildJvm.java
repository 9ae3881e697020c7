package io.supportroi.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a Java main class in a separate JVM (the shaded jar under spark-submit, the CLI as a user runs it). */
public final class ChildJvm {
    private ChildJvm() {}

    public record Result(int exitCode, String output) {}

    public static Path shadedJar() {
        Path jar = Path.of(System.getProperty("supportroi.jar", "target/supportroi-jobs-0.1.0-SNAPSHOT.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("shaded jar not built: " + jar + " (integration tests run after package)");
        }
        return jar;
    }

    /** Spark's own classpath, as spark-submit would provide it. */
    public static String sparkClasspath() throws IOException {
        return Files.readString(Path.of(System.getProperty("supportroi.classpath.file", "target/classpath.txt"))).strip();
    }

    public static Result run(String classpath, String mainClass, List<String> args, Path workDir, long timeoutMinutes)
            throws IOException, InterruptedException {
        return run(classpath, mainClass, args, workDir, Map.of(), timeoutMinutes);
    }

    public static Result run(String classpath, String mainClass, List<String> args, Path workDir,
                             Map<String, String> env, long timeoutMinutes) throws IOException, InterruptedException {
        Started child = start(classpath, mainClass, args, workDir, env);
        if (!child.process().waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            child.process().destroyForcibly();
            throw new IllegalStateException("child JVM did not finish in " + timeoutMinutes + " min: " + mainClass
                    + " " + args + "\n" + child.output());
        }
        return new Result(child.process().exitValue(), child.output());
    }

    /** A child JVM running in the background (a Spark master or worker), its output going to {@code log}. */
    public record Started(Process process, Path log) {
        public String output() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }
    }

    public static Started start(String classpath, String mainClass, List<String> args, Path workDir,
                                Map<String, String> env) throws IOException {
        File log = workDir.resolve("child-" + System.nanoTime() + ".log").toFile();
        ProcessBuilder pb = builder(classpath, mainClass, args, workDir, env).redirectOutput(log);
        return new Started(pb.start(), log.toPath());
    }

    /** A child JVM whose standard output and error the caller reads from {@link Process#getInputStream()}. */
    public static Process startPiped(String classpath, String mainClass, List<String> args, Path workDir,
                                     Map<String, String> env) throws IOException {
        return builder(classpath, mainClass, args, workDir, env).start();
    }

    /** As bin/supportroi decides: the kernel gives transparent huge pages to a process that asks for them. */
    private static final boolean HUGE_PAGES_ON_REQUEST = hugePagesOnRequest();

    private static boolean hugePagesOnRequest() {
        try {
            String mode = Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"));
            return mode.contains("[madvise]") || mode.contains("[always]");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static ProcessBuilder builder(String classpath, String mainClass, List<String> args, Path workDir,
                                          Map<String, String> env) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx2g");
        // A child runs one short command on a few files: C2 would spend a core compiling methods the run ends before
        // it uses, beside the test JVMs that need that core. C1 alone overflows the default code cache (a run failed
        // with "Out of space in CodeCache"), hence the larger one.
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:ReservedCodeCacheSize=256m");
        if (HUGE_PAGES_ON_REQUEST) {
            cmd.add("-XX:+UseTransparentHugePages");
        }
        // Relative to the build's working directory (jobs/), resolved here: the child runs in a folder of its own.
        cmd.add("@" + System.getProperty("supportroi.jvm.options",
                Path.of("..", "bin", "jvm.options").toAbsolutePath().toString()));
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        return pb;
    }
}
