package io.supportroi.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A real Spark standalone cluster on 127.0.0.1: one master and one worker, each its own JVM started from the Maven
 * jars. The worker launches executors from {@code $SPARK_HOME/jars}, so a throw-away SPARK_HOME links the runtime
 * classpath there; {@code SPARK_SCALA_VERSION} spares the launcher its search for a source build.
 */
public final class StandaloneCluster implements AutoCloseable {
    private static final Duration READY_WITHIN = Duration.ofMinutes(2);

    private final ChildJvm.Started master;
    private final ChildJvm.Started worker;
    private final String url;
    private final Map<String, String> env;

    private StandaloneCluster(ChildJvm.Started master, ChildJvm.Started worker, String url, Map<String, String> env) {
        this.master = master;
        this.worker = worker;
        this.url = url;
        this.env = env;
    }

    /** Starts a master and a worker with {@code cores} cores and {@code memory} (e.g. "3g") for executors. */
    public static StandaloneCluster start(Path dir, int cores, String memory) throws IOException, InterruptedException {
        String classpath = ChildJvm.sparkClasspath();
        Path home = dir.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String entry : classpath.split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            Path link = jars.resolve(jar.getFileName().toString());
            if (entry.endsWith(".jar") && Files.isRegularFile(jar) && !Files.exists(link)) {
                Files.createSymbolicLink(link, jar.toAbsolutePath());
            }
        }
        Map<String, String> env = Map.of("SPARK_HOME", home.toString(), "SPARK_SCALA_VERSION", "2.13",
                "SPARK_LOCAL_IP", "127.0.0.1");
        int port = freePort();
        String url = "spark://127.0.0.1:" + port;
        ChildJvm.Started master = ChildJvm.start(classpath, "org.apache.spark.deploy.master.Master",
                List.of("--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port",
                        Integer.toString(freePort())), dir, env);
        ChildJvm.Started worker = null;
        try {
            ChildJvm.Started w = ChildJvm.start(classpath, "org.apache.spark.deploy.worker.Worker",
                    List.of("--host", "127.0.0.1", "--cores", Integer.toString(cores), "--memory", memory,
                            "--webui-port", Integer.toString(freePort()),
                            "--work-dir", Files.createDirectories(dir.resolve("worker")).toString(), url),
                    dir, env);
            worker = w;
            awaitOutput(w, "Successfully registered with master");
            return new StandaloneCluster(master, w, url, env);
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop(worker);
            stop(master);
            throw e;
        }
    }

    public String masterUrl() {
        return url;
    }

    /** The environment spark-submit needs to find this cluster's SPARK_HOME. */
    public Map<String, String> env() {
        return env;
    }

    public String workerLog() throws IOException {
        return worker.output();
    }

    @Override
    public void close() {
        stop(worker);
        stop(master);
    }

    /** Polls a child's log for a line it prints once ready: Spark offers no other readiness signal to a parent. */
    private static void awaitOutput(ChildJvm.Started child, String marker) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(READY_WITHIN);
        while (!child.output().contains(marker)) {
            if (!child.process().isAlive()) {
                throw new IllegalStateException("exited before '" + marker + "':\n" + child.output());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("no '" + marker + "' within " + READY_WITHIN + ":\n" + child.output());
            }
            child.process().waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    private static void stop(ChildJvm.Started child) {
        if (child == null) {
            return;
        }
        // SIGTERM first: the worker's shutdown hook kills the executors it launched.
        child.process().destroy();
        try {
            if (!child.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                child.process().destroyForcibly();
            }
        } catch (InterruptedException e) {
            child.process().destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
