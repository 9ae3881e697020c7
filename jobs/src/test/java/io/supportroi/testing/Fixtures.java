package io.supportroi.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;

/** Copies a fixture folder from test resources to a scratch folder the test may change. */
public final class Fixtures {
    private Fixtures() {}

    public static Path copy(String resourceDir, Path target) {
        try {
            Path source = Paths.get(Fixtures.class.getResource("/fixtures/" + resourceDir).toURI());
            try (Stream<Path> walk = Files.walk(source)) {
                for (Path p : walk.toList()) {
                    Path dest = target.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(dest);
                    } else {
                        Files.copy(p, dest);
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The hand-written exports as two nights: night 1 is every file but those named {@code -002} to {@code -009},
     * which arrive on night 2.
     */
    public static void copyNight(Path from, Path to, boolean first) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                boolean night1 = !p.getFileName().toString().matches(".*-00[2-9]\\..*");
                if (night1 == first) {
                    Path dest = to.resolve(from.relativize(p).toString());
                    Files.createDirectories(dest.getParent());
                    Files.copy(p, dest);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
