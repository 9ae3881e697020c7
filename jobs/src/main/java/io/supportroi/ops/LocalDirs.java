package io.supportroi.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folders on the local disk that a command owns outright (the demo's and the benchmark's work folders). */
public final class LocalDirs {
    private LocalDirs() {}

    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Copies keep modification times: the ingest ledger compares them. */
    public static void copyRecursively(Path from, Path to) throws IOException {
        mirror(from, to, false);
    }

    /**
     * Hard links where the file system allows them, else copies: for files nobody writes after they are made
     * (landing exports), where a second copy of gigabytes would only cost disk and time.
     */
    public static void linkRecursively(Path from, Path to) throws IOException {
        mirror(from, to, true);
    }

    private static void mirror(Path from, Path to, boolean link) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!link || !tryLink(p, target)) {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static boolean tryLink(Path existing, Path link) {
        try {
            Files.createLink(link, existing);
            return true;
        } catch (UnsupportedOperationException | IOException e) {
            return false;
        }
    }
}
