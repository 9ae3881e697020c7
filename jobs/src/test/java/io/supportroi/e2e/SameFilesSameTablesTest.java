package io.supportroi.e2e;

import io.supportroi.config.Settings;
import io.supportroi.generate.Generator;
import io.supportroi.generate.GeneratorOptions;
import io.supportroi.ops.IngestedFiles;
import io.supportroi.ops.Layer;
import io.supportroi.ops.LocalDirs;
import io.supportroi.ops.Nightly;
import io.supportroi.ops.Quarantine;
import io.supportroi.ops.Runs;
import io.supportroi.ops.TableRef;
import io.supportroi.ops.Warehouse;
import io.supportroi.testing.SparkTest;
import io.supportroi.testing.TableDigests;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same landing files give the same tables, every time, on any number of cores and from any folder, and the same
 * files under other names add nothing. A small generated business (dirty exports, both helpdesks) is run into fresh
 * warehouses twice: on {@code local[2]}, and on {@code local[1]} from a copy of the landing folder elsewhere (one run
 * for both changes: either one alone must leave the tables as they are). Then a page copied under a new name and the
 * whole landing folder moved must not change the first warehouse.
 */
@ExtendWith(SparkTest.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SameFilesSameTablesTest {
    @TempDir
    static Path tmp;

    private static Path landing;
    private static Settings settings;
    private static Nightly.Summary firstRun;
    private static final Map<String, Map<String, TableDigests.Digest>> DIGESTS = new TreeMap<>();
    private static final String FIRST = "local[2]";
    private static final String ONE_CORE_ELSEWHERE = "local[1], landing copied elsewhere";

    @BeforeAll
    static void generateAndRunOnOneAndTwoCores(SparkSession spark) throws Exception {
        landing = tmp.resolve("landing");
        Generator.run(spark, new GeneratorOptions(landing.toString(), 300, 3, LocalDate.parse("2025-01-01"), 808L,
                null).withHelpdesk(GeneratorOptions.Helpdesk.BOTH).withDirty(true));
        settings = SparkTest.settings().withPaths(landing.toString(), tmp.resolve("wh-1").toString());
        firstRun = Nightly.run(spark, settings, null);
        assertThat(firstRun.status()).isEqualTo(Runs.SUCCEEDED);
        DIGESTS.put(FIRST, TableDigests.of(first(), Layer.SILVER, Layer.GOLD));

        Path elsewhere = tmp.resolve("elsewhere").resolve("exports");
        LocalDirs.copyRecursively(landing, elsewhere);
        Settings oneCore = settings.withPaths(elsewhere.toString(), tmp.resolve("wh-local1").toString());
        DIGESTS.put(ONE_CORE_ELSEWHERE, SparkTest.onMaster("local[1]", s -> {
            assertThat(s.sparkContext().defaultParallelism()).isEqualTo(1);
            assertThat(Nightly.run(s, oneCore, null).status()).isEqualTo(Runs.SUCCEEDED);
            return TableDigests.of(new Warehouse(s, oneCore.warehouse()), Layer.SILVER, Layer.GOLD);
        }));
    }

    /** The first run's warehouse, on the shared session as it is now. */
    private static Warehouse first() {
        return new Warehouse(SparkTest.spark(), settings.warehouse());
    }

    @Test
    @Order(1)
    void oneCoreAndAnotherLandingFolderGiveTheSameSilverAndGold() {
        Map<String, TableDigests.Digest> reference = DIGESTS.get(FIRST);
        assertThat(reference.keySet().stream().filter(t -> t.startsWith("gold."))).hasSizeGreaterThanOrEqualTo(14);
        assertThat(reference.keySet().stream().filter(t -> t.startsWith("silver."))).hasSizeGreaterThanOrEqualTo(12);
        assertThat(reference.get("silver.orders").exact().get(0)).isNotEqualTo("rows=0");
        assertThat(TableDigests.differences(reference, DIGESTS.get(ONE_CORE_ELSEWHERE))).isEmpty();
    }

    @Test
    @Order(2)
    void aPageCopiedUnderANewNameAddsNothing() throws Exception {
        Path page;
        try (Stream<Path> pages = Files.list(landing.resolve("shopify/orders"))) {
            page = pages.sorted().findFirst().orElseThrow();
        }
        Path copy = Files.copy(page, page.resolveSibling("re-exported-" + page.getFileName()));
        Map<TableRef, Long> before = versions(first());

        Nightly.Summary night = Nightly.run(SparkTest.spark(), settings, null);

        assertThat(night.filesIngested()).isZero();
        assertThat(night.duplicateFiles()).isEqualTo(1);
        assertThat(versions(first())).isEqualTo(before);
        List<Row> recorded = first().read(IngestedFiles.TABLE)
                .filter(col(IngestedFiles.RUN_ID).equalTo(night.runId())).collectAsList();
        assertThat(recorded).hasSize(1);
        assertThat(recorded.get(0).<String>getAs(IngestedFiles.PATH)).endsWith(copy.getFileName().toString());
        assertThat(recorded.get(0).<String>getAs(IngestedFiles.DUPLICATE_OF)).endsWith("/" + page.getFileName());
        assertThat(recorded.get(0).<Long>getAs(IngestedFiles.RECORDS)).isZero();
    }

    @Test
    @Order(3)
    void movingTheWholeLandingFolderAddsNothing() throws Exception {
        Path moved = Files.move(landing, tmp.resolve("landing-moved"));
        long files = first().read(IngestedFiles.TABLE).count();
        Map<TableRef, Long> before = versions(first());

        Nightly.Summary night = Nightly.run(SparkTest.spark(), settings.withPaths(moved.toString(),
                settings.warehouse()), null);

        assertThat(night.filesIngested()).isZero();
        assertThat(night.duplicateFiles()).isEqualTo(files);
        assertThat(versions(first())).isEqualTo(before);
        // The first run had duplicates of its own (the dirty export's copied pages).
        assertThat(firstRun.duplicateFiles()).isPositive();
    }

    @Test
    @Order(4)
    void afterTheCopyAndTheMoveTheFirstWarehouseStillHoldsTheFirstRunsTables() {
        assertThat(TableDigests.differences(DIGESTS.get(FIRST), TableDigests.of(first(), Layer.SILVER, Layer.GOLD)))
                .isEmpty();
    }

    /** Delta version of every bronze, silver and gold table, and of the quarantine. */
    private static Map<TableRef, Long> versions(Warehouse wh) {
        Map<TableRef, Long> out = new TreeMap<>((a, b) -> a.qualified().compareTo(b.qualified()));
        for (TableRef t : wh.listTables()) {
            if (t.layer() != Layer.OPS || t.equals(Quarantine.TABLE)) {
                out.put(t, wh.latestVersion(t));
            }
        }
        return out;
    }
}
