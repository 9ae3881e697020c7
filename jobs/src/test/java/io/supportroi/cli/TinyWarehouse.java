package io.supportroi.cli;

import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A warehouse of four one-row Delta tables, one per layer, written straight under {@code root/<layer>/<name>} (no
 * nightly run: a second or two). gold.kpis and ops.runs have two versions, so that RESTORE … TO VERSION AS OF 0 would
 * change something.
 */
final class TinyWarehouse {
    private TinyWarehouse() {}

    static void create(SparkSession spark, String root) {
        write(spark, root + "/bronze/events", "SELECT 1 AS id, 'opened' AS event", "overwrite");
        write(spark, root + "/silver/customers", "SELECT 'c1' AS customer_id, 'a@example.com' AS email", "overwrite");
        write(spark, root + "/gold/kpis", "SELECT 'csat' AS kpi, 0.9D AS value", "overwrite");
        write(spark, root + "/gold/kpis", "SELECT 'resolution_rate' AS kpi, 0.8D AS value", "append");
        write(spark, root + "/ops/runs", "SELECT 'run-1' AS run_id, 'succeeded' AS status", "overwrite");
        write(spark, root + "/ops/runs", "SELECT 'run-2' AS run_id, 'succeeded' AS status", "append");
    }

    /**
     * Every table's latest Delta version, read from the commit files in its {@code _delta_log} (no Spark job): equal
     * before and after means nothing was committed.
     */
    static Map<String, Long> versions(Path root) {
        Map<String, Long> out = new TreeMap<>();
        for (String layer : List.of("bronze", "silver", "gold", "ops")) {
            Path dir = root.resolve(layer);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            for (Path table : list(dir)) {
                Path log = table.resolve("_delta_log");
                if (Files.isDirectory(log)) {
                    out.put(layer + "." + table.getFileName(), list(log).stream()
                            .map(p -> p.getFileName().toString()).filter(n -> COMMIT.matcher(n).matches())
                            .mapToLong(n -> Long.parseLong(n.substring(0, n.indexOf('.')))).max().orElse(-1));
                }
            }
        }
        return out;
    }

    private static final Pattern COMMIT = Pattern.compile("\\d{20}\\.json");

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(SparkSession spark, String path, String select, String mode) {
        spark.sql(select).write().format("delta").mode(mode).save(path);
    }
}
