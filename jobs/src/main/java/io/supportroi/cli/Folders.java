package io.supportroi.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The folders a command reads and writes, checked before Spark starts: a wrong path is then a one-line usage error
 * instead of a failure in the middle of a run. Only local paths (no scheme, or file:) are checked; a path on a cloud
 * or Hadoop file system (s3a://, abfss://, hdfs://) is left to the run, which needs the connector and credentials
 * that only Spark's file system has.
 */
final class Folders {
    private Folders() {}

    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    /** {@code what} must be an existing folder. */
    static void existing(String what, String path) {
        Optional<Path> local = local(what, path);
        if (local.isEmpty()) {
            return;
        }
        if (!Files.exists(local.get())) {
            throw new UsageException(what + " " + path + " does not exist");
        }
        if (!Files.isDirectory(local.get())) {
            throw new UsageException(what + " " + path + " is a file, not a folder");
        }
    }

    /** {@code what} must be an existing regular file. */
    static void existingFile(String what, String path) {
        Optional<Path> local = local(what, path);
        if (local.isPresent() && !Files.isRegularFile(local.get())) {
            throw new UsageException(what + " " + path
                    + (Files.isDirectory(local.get()) ? " is a folder, not a file" : " does not exist"));
        }
    }

    /**
     * {@code what} is created when missing, and must take a new file. Permissions say little (a root process writes
     * anywhere, an ACL may refuse), so a probe file is written and removed.
     */
    static void writable(String what, String path) {
        Optional<Path> local = local(what, path);
        if (local.isEmpty()) {
            return;
        }
        Path dir = local.get();
        Path blocking = fileInTheWay(dir);
        if (blocking != null) {
            throw new UsageException(what + " " + path + " cannot be a folder: " + blocking + " is a file");
        }
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new UsageException(what + " " + path + " cannot be a folder: " + e.getFile() + " is a file", e);
        } catch (IOException e) {
            throw new UsageException(what + " " + path + " cannot be created: " + reason(e), e);
        }
        try {
            Files.delete(Files.createTempFile(dir, ".supportroi-probe-", ".tmp"));
        } catch (IOException e) {
            throw new UsageException(what + " " + path + " is not writable: " + reason(e), e);
        }
    }

    /** The path itself or the nearest of its parents that exists, when that is not a folder. */
    private static Path fileInTheWay(Path dir) {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                return Files.isDirectory(p) ? null : p;
            }
        }
        return null;
    }

    private static Optional<Path> local(String what, String path) {
        if (!SCHEME.matcher(path).find()) {
            try {
                return Optional.of(Path.of(path));
            } catch (InvalidPathException e) {
                throw new UsageException(what + " is not a path this machine can have: " + e.getReason(), e);
            }
        }
        if (!path.regionMatches(true, 0, "file:", 0, "file:".length())) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(URI.create(path)));
        } catch (IllegalArgumentException e) {
            // Hadoop cannot take file:relative/path either ("Relative path in absolute URI").
            throw new UsageException(what + " " + path + " is not a path: a file: URI names an absolute path "
                    + "(file:/data/x); a relative path goes without file:", e);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getFile() + ": " + f.getReason();
        }
        return String.valueOf(e.getMessage());
    }
}
