package io.supportroi.ops;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;

/**
 * One run at a time per warehouse. Delta guards a commit against another commit only inside one JVM on a local or
 * NFS file system, and two overlapping nightly runs would ingest the same files twice even on a store that does
 * guard commits; so a run holds a lock file in the warehouse root for its whole length.
 *
 * <p>The file is created atomically (create-new on a local disk, {@code create(overwrite=false)} elsewhere, which is
 * atomic on HDFS and on object stores with conditional writes). A lock whose owner is a process of this host that no
 * longer exists is stale and taken over; one held from another host is only ever released by its owner or by hand.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = "_supportroi_run.lock";
    private static final Duration POLL = Duration.ofSeconds(2);

    /** Who holds the lock, as written in the lock file. */
    public record Holder(String runId, String host, long pid, Instant since) {
        String encode() {
            return "run_id=" + runId + "\nhost=" + host + "\npid=" + pid + "\nsince=" + since + "\n";
        }

        static Holder decode(String text) {
            String runId = "?";
            String host = "?";
            long pid = -1;
            Instant since = Instant.EPOCH;
            for (String line : text.split("\n")) {
                int eq = line.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String v = line.substring(eq + 1).trim();
                try {
                    switch (line.substring(0, eq)) {
                        case "run_id" -> runId = v;
                        case "host" -> host = v;
                        case "pid" -> pid = Long.parseLong(v);
                        case "since" -> since = Instant.parse(v);
                        default -> { }
                    }
                } catch (RuntimeException ignored) {
                    // A half-written lock file still names what it can; the rest stays unknown.
                }
            }
            return new Holder(runId, host, pid, since);
        }

        public String describe() {
            return "run " + runId + " (host " + host + ", pid " + pid + ", since " + since + ")";
        }
    }

    /** Another run holds the warehouse. */
    public static final class Busy extends RuntimeException {
        private final transient Holder holder;

        Busy(String lockPath, Holder holder, Duration waited) {
            super("the warehouse is busy: " + holder.describe() + " holds " + lockPath
                    + (waited.isZero() ? "" : " (waited " + waited.toSeconds() + " s)")
                    + "; try again when it ends, or use --wait SECONDS. If that run is dead, delete the lock file.");
            this.holder = holder;
        }

        public Holder holder() {
            return holder;
        }
    }

    private final FileSystem fs;
    private final Path path;
    private final Holder mine;

    private RunLock(FileSystem fs, Path path, Holder mine) {
        this.fs = fs;
        this.path = path;
        this.mine = mine;
    }

    /** Takes the lock, waiting up to {@code wait} for another run to finish; throws {@link Busy} if it does not. */
    public static RunLock acquire(Warehouse wh, String runId, Duration wait) {
        try {
            FileSystem fs = wh.fileSystem();
            Path root = new Path(wh.root());
            fs.mkdirs(root);
            Path path = new Path(root, FILE);
            Holder mine = new Holder(runId, HOST, ProcessHandle.current().pid(), Instant.now());
            Instant deadline = Instant.now().plus(wait);
            Instant started = Instant.now();
            while (true) {
                if (tryCreate(fs, path, mine)) {
                    return new RunLock(fs, path, mine);
                }
                Holder other = holder(fs, path);
                if (other == null) {
                    continue;
                }
                if (stale(other)) {
                    Progress.line("lock", "taking over a stale lock of %s", other.describe());
                    fs.delete(path, false);
                    continue;
                }
                if (!Instant.now().isBefore(deadline)) {
                    throw new Busy(path.toString(), other, Duration.between(started, Instant.now()));
                }
                Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, Duration.between(Instant.now(), deadline).toMillis())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take the warehouse lock under " + wh.root(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the warehouse lock", e);
        }
    }

    /** The current holder, or null when the warehouse is free. */
    public static Holder holder(Warehouse wh) {
        try {
            return holder(wh.fileSystem(), new Path(wh.root(), FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            Holder current = holder(fs, path);
            // Never delete a lock that someone took over from us (after we were presumed dead).
            if (current != null && current.runId().equals(mine.runId())) {
                fs.delete(path, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the warehouse lock " + path, e);
        }
    }

    private static boolean tryCreate(FileSystem fs, Path path, Holder mine) throws IOException {
        byte[] content = mine.encode().getBytes(StandardCharsets.UTF_8);
        if ("file".equals(fs.getUri().getScheme())) {
            // Hadoop's local create(overwrite=false) checks and then creates: two threads can both win. NIO cannot.
            java.nio.file.Path local = java.nio.file.Path.of(fs.makeQualified(path).toUri());
            try {
                Files.write(local, content, java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        }
        try (FSDataOutputStream out = fs.create(path, false)) {
            out.write(content);
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        }
    }

    private static Holder holder(FileSystem fs, Path path) throws IOException {
        try (FSDataInputStream in = fs.open(path)) {
            return Holder.decode(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (java.io.FileNotFoundException e) {
            return null;
        }
    }

    private static boolean stale(Holder h) {
        return h.host().equals(HOST) && h.pid() > 0 && ProcessHandle.of(h.pid()).isEmpty();
    }

    private static final String HOST = hostName();

    /** The host name a lock taken here records (tests plant a dead process's lock with it). */
    static String thisHost() {
        return HOST;
    }

    /** Not InetAddress.getLocalHost(): on some hosts its name lookup stalls for seconds. */
    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            return Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
