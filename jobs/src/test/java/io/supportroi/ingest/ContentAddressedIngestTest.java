package io.supportroi.ingest;

import io.supportroi.ops.IngestedFiles;
import io.supportroi.ops.Warehouse;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ingest knows a file by its content. Three nights: two identical pages arrive together; then one of them is
 * delivered again with the same bytes but a new time while a new page arrives beside it, and the products snapshot
 * changes; then the snapshot is reverted to its first version.
 */
@ExtendWith(SparkTest.class)
class ContentAddressedIngestTest {
    private static final String PAGE_A = "{\"orders\":[{\"id\":1,\"created_at\":\"2025-03-01T10:00:00Z\","
            + "\"total_price\":\"10.00\"},{\"id\":2,\"created_at\":\"2025-03-01T11:00:00Z\",\"total_price\":\"5.00\"}]}";
    private static final String PAGE_B = "{\"orders\":[{\"id\":3,\"created_at\":\"2025-03-02T10:00:00Z\","
            + "\"total_price\":\"7.00\"}]}";

    @Test
    void copiedTouchedAndRevertedFiles(SparkSession spark, @TempDir Path dir) throws Exception {
        Path landing = dir.resolve("landing");
        Path a = write(landing.resolve("shopify/orders/2025/a.json"), PAGE_A);
        write(landing.resolve("shopify/orders/2025/copy/a.json"), PAGE_A);
        Path products = write(landing.resolve("reference/products.csv"), "sku,unit_cost\nBOX,10.00\n");
        Warehouse wh = new Warehouse(spark, dir.resolve("wh").toString());

        // Night 1: of two identical pages the first in path order is read, the other recorded as its copy.
        BronzeIngest.SourceResult orders = result(ingest(wh, landing, "run-1"), LandingSource.SHOPIFY_ORDERS);
        assertThat(orders.files()).isEqualTo(1);
        assertThat(orders.duplicates()).isEqualTo(1);
        assertThat(orders.written()).isEqualTo(2);
        assertThat(manifestRow(wh, "run-1", "/copy/a.json").<String>getAs(IngestedFiles.DUPLICATE_OF))
                .endsWith("/2025/a.json");

        // Night 2: the page comes again with the same bytes and a new time (a copy that did not keep times), a new
        // page beside it. The touched page is a duplicate of itself and keeps its rows in bronze.
        Files.setLastModifiedTime(a, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        write(landing.resolve("shopify/orders/2025/b.json"), PAGE_B);
        write(products, "sku,unit_cost\nBOX,12.00\n");
        List<BronzeIngest.SourceResult> night2 = ingest(wh, landing, "run-2");
        orders = result(night2, LandingSource.SHOPIFY_ORDERS);
        assertThat(orders.files()).isEqualTo(1);
        assertThat(orders.duplicates()).isEqualTo(1);
        assertThat(wh.read(LandingSource.SHOPIFY_ORDERS.bronze()).select("id").as(Encoders.LONG()).collectAsList())
                .containsExactlyInAnyOrder(1L, 2L, 3L);
        assertThat(manifestRow(wh, "run-2", "/2025/a.json").<String>getAs(IngestedFiles.DUPLICATE_OF))
                .endsWith("/2025/a.json");
        assertThat(result(night2, LandingSource.REFERENCE_PRODUCTS).files()).isEqualTo(1);

        // Night 3: the snapshot reverted to its first version is read again (it is the truth again); the pages,
        // known by their new times, are not looked at.
        write(products, "sku,unit_cost\nBOX,10.00\n");
        List<BronzeIngest.SourceResult> night3 = ingest(wh, landing, "run-3");
        assertThat(result(night3, LandingSource.REFERENCE_PRODUCTS).files()).isEqualTo(1);
        assertThat(result(night3, LandingSource.REFERENCE_PRODUCTS).duplicates()).isZero();
        assertThat(wh.read(LandingSource.REFERENCE_PRODUCTS.bronze()).filter(col("_run_id").equalTo("run-3"))
                .select("unit_cost").first().getString(0)).isEqualTo("10.00");
        assertThat(result(night3, LandingSource.SHOPIFY_ORDERS).files()
                + result(night3, LandingSource.SHOPIFY_ORDERS).duplicates()).isZero();
    }

    private static Row manifestRow(Warehouse wh, String runId, String pathEnd) {
        return wh.read(IngestedFiles.TABLE).filter(col(IngestedFiles.RUN_ID).equalTo(runId)
                .and(col(IngestedFiles.PATH).endsWith(pathEnd))).first();
    }

    private static List<BronzeIngest.SourceResult> ingest(Warehouse wh, Path landing, String runId) {
        return BronzeIngest.run(wh, landing.toString(), runId, Timestamp.from(Instant.now()), 1L << 30);
    }

    private static BronzeIngest.SourceResult result(List<BronzeIngest.SourceResult> results, LandingSource source) {
        return results.stream().filter(r -> r.source() == source).findFirst().orElseThrow();
    }

    private static Path write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
