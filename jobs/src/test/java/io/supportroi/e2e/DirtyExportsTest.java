package io.supportroi.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.supportroi.config.Settings;
import io.supportroi.generate.Generator;
import io.supportroi.generate.GeneratorOptions;
import io.supportroi.ops.Nightly;
import io.supportroi.ops.Quarantine;
import io.supportroi.ops.TableRef;
import io.supportroi.ops.Warehouse;
import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same business exported clean and --dirty: silver must be identical, and quarantine must hold exactly the
 * unrepairable records the generator planted (by source, file and position), nothing more, nothing less.
 */
@ExtendWith(SparkTest.class)
class DirtyExportsTest {
    private static final List<String> SILVER = List.of("customers", "customer_identities", "tickets", "orders",
            "order_lines", "refunds", "subscriptions", "renewal_attempts", "agents", "claims");

    @TempDir
    static Path tmp;

    private static Warehouse clean;
    private static Warehouse dirty;
    private static JsonNode dirtyTruth;
    private static Path dirtyLanding;

    @BeforeAll
    static void run(SparkSession spark) throws Exception {
        GeneratorOptions base = new GeneratorOptions(tmp.resolve("clean").toString(), 1500, 12,
                LocalDate.parse("2025-01-01"), 77L, null);
        Generator.run(spark, base);
        dirtyLanding = tmp.resolve("dirty");
        Generator.run(spark, base.withOut(dirtyLanding.toString()).withDirty(true));
        dirtyTruth = new ObjectMapper().readTree(dirtyLanding.resolve("ground_truth.json").toFile());
        LocalDate asOf = LocalDate.parse(dirtyTruth.get("end").asText());
        Settings settings = SparkTest.settings();
        clean = new Warehouse(spark, tmp.resolve("wh-clean").toString());
        dirty = new Warehouse(spark, tmp.resolve("wh-dirty").toString());
        // Two independent warehouses: run side by side, since most of a small run is per-job latency, not CPU.
        var cleanRun = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                Nightly.run(spark, settings.withPaths(tmp.resolve("clean").toString(), clean.root()), asOf));
        Nightly.run(spark, settings.withPaths(dirtyLanding.toString(), dirty.root()), asOf);
        cleanRun.join();
    }

    @Test
    void dirtyExportsGiveTheSameSilverTables() {
        for (String name : SILVER) {
            TableRef t = TableRef.silver(name);
            assertThat(dirty.exists(t)).as(t.qualified()).isEqualTo(clean.exists(t));
            if (clean.exists(t)) {
                List<String> expected = Frames.sortedRows(clean.read(t));
                assertThat(expected).as(t.qualified()).isNotEmpty();
                assertThat(Frames.sortedRows(dirty.read(t))).as(t.qualified()).isEqualTo(expected);
            }
        }
    }

    @Test
    void quarantineHoldsExactlyThePlantedRecords() {
        assertThat(clean.exists(Quarantine.TABLE) ? clean.read(Quarantine.TABLE).count() : 0L).isZero();
        List<String> planted = new ArrayList<>();
        for (JsonNode u : dirtyTruth.path("dirty").path("unrepairable")) {
            planted.add(u.get("source").asText() + " " + u.get("file").asText() + " " + u.get("line").asLong()
                    + " " + u.get("record_index").asLong());
        }
        assertThat(planted).hasSize(dirtyTruth.path("dirty").path("unrepairable_total").asInt()).isNotEmpty();
        String prefix = dirtyLanding.toUri().toString();
        List<String> quarantined = new ArrayList<>();
        for (Row q : dirty.read(Quarantine.TABLE).collectAsList()) {
            String file = q.<String>getAs(Quarantine.FILE);
            String relative = file.substring(file.indexOf(dirtyLanding.toString()) + dirtyLanding.toString().length() + 1);
            quarantined.add(q.<String>getAs(Quarantine.SOURCE) + " " + relative + " " + q.<Long>getAs(Quarantine.LINE)
                    + " " + q.<Long>getAs(Quarantine.RECORD_INDEX));
            assertThat(q.<String>getAs(Quarantine.REASON)).isNotBlank();
            assertThat(q.<String>getAs(Quarantine.RAW)).isNotNull();
        }
        assertThat(prefix).isNotBlank();
        assertThat(quarantined).containsExactlyInAnyOrderElementsOf(planted);
    }
}
