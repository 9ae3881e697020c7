package io.supportroi.analytics.worklists;

import io.supportroi.ops.Nightly;
import io.supportroi.ops.Runs;
import io.supportroi.ops.TableRef;
import io.supportroi.ops.Warehouse;
import io.supportroi.testing.Fixtures;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code nightly} builds the four worklists and writes each night's CSV files; the same night again rewrites them. */
@ExtendWith(SparkTest.class)
class WorklistsNightlyTest {
    static final List<TableRef> LISTS = List.of(WinbackWorklist.TABLE, UpsellWorklist.TABLE,
            TicketPriorityQueue.TABLE, TopCustomersByOpenTickets.TABLE);

    @Test
    void nightlyPublishesAndExportsEveryWorklistOncePerNight(SparkSession spark, @TempDir Path tmp) throws Exception {
        Path landing = Fixtures.copy("handwritten", tmp.resolve("landing"));
        String warehouse = tmp.resolve("wh").toString();
        var settings = SparkTest.settings().withPaths(landing.toString(), warehouse);
        Nightly.Summary first = Nightly.run(spark, settings, null);
        assertThat(first.status()).isEqualTo(Runs.SUCCEEDED);

        Warehouse wh = new Warehouse(spark, warehouse);
        Path folder = tmp.resolve("wh").resolve(WorklistExports.EXPORTS_DIR).resolve(first.asOf().toString());
        Map<TableRef, String> exported = new HashMap<>();
        Map<TableRef, Long> versions = new HashMap<>();
        for (TableRef t : LISTS) {
            assertThat(wh.exists(t)).as(t.qualified()).isTrue();
            Path csv = folder.resolve(t.name() + ".csv");
            String text = Files.readString(csv, StandardCharsets.UTF_8);
            List<String> lines = text.lines().toList();
            assertThat(lines.get(0)).as(t.qualified()).isEqualTo(String.join(",", wh.read(t).columns()));
            assertThat(lines).as(t.qualified()).hasSize((int) wh.read(t).count() + 1);
            exported.put(t, text);
            versions.put(t, wh.latestVersion(t));
        }
        // The fixture has open tickets and a failed renewal past dunning: the lists are not trivially empty.
        assertThat(wh.read(TicketPriorityQueue.TABLE).count()).isPositive();
        assertThat(folder.toFile().list()).containsExactlyInAnyOrder(
                LISTS.stream().map(t -> t.name() + ".csv").toArray(String[]::new));

        Nightly.Summary second = Nightly.run(spark, settings, null);
        assertThat(second.status()).isEqualTo(Runs.SUCCEEDED);
        assertThat(folder.toFile().list()).hasSize(LISTS.size());
        for (TableRef t : LISTS) {
            assertThat(Files.readString(folder.resolve(t.name() + ".csv"), StandardCharsets.UTF_8))
                    .as(t.qualified()).isEqualTo(exported.get(t));
            assertThat(wh.latestVersion(t)).as(t.qualified() + " version").isEqualTo(versions.get(t));
        }
    }
}
