package io.supportroi.ingest;

import io.supportroi.ops.Warehouse;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A landing file that changes while a run reads it is left for the next run, not ingested cut off. */
@ExtendWith(SparkTest.class)
class FilesBeingWrittenTest {
    @Test
    void aFileThatGrewSinceTheListingIsLeftForTheNextRun(SparkSession spark, @TempDir Path dir) throws Exception {
        Path done = Files.writeString(dir.resolve("orders-1.json"), "{\"orders\":[]}");
        Path growing = Files.writeString(dir.resolve("orders-2.json"), "{\"orders\":[{\"id\":1}");
        Warehouse wh = new Warehouse(spark, dir.resolve("wh").toString());
        BronzeIngest.NewFile doneListed = listing(done);
        BronzeIngest.NewFile growingListed = listing(growing);
        DuplicateFiles.Candidate doneRead = read(done);
        // the writer goes on after the listing and the read
        Files.writeString(growing, "{\"orders\":[{\"id\":1},{\"id\":2}]}");
        DuplicateFiles.Candidate growingRead = new DuplicateFiles.Candidate(growingListed.path(),
                growingListed.size(), growingListed.modifiedAt(), "partial");

        List<DuplicateFiles.Candidate> settled = BronzeIngest.settled(wh, LandingSource.SHOPIFY_ORDERS,
                List.of(doneListed, growingListed), List.of(doneRead, growingRead));

        assertThat(settled).containsExactly(doneRead);
    }

    @Test
    void aFileReadWithAnotherSizeThanListedIsLeftForTheNextRun(SparkSession spark, @TempDir Path dir)
            throws Exception {
        Path file = Files.writeString(dir.resolve("orders-1.json"), "{\"orders\":[]}");
        Warehouse wh = new Warehouse(spark, dir.resolve("wh").toString());
        BronzeIngest.NewFile listedShorter = new BronzeIngest.NewFile(file.toUri().toString(), Files.size(file) - 3,
                Files.getLastModifiedTime(file).toMillis());
        assertThat(BronzeIngest.settled(wh, LandingSource.SHOPIFY_ORDERS, List.of(listedShorter),
                List.of(read(file)))).isEmpty();
    }

    @Test
    void filesInFoldersNamedLikeStagingAreNotListed(SparkSession spark, @TempDir Path dir) throws Exception {
        Path orders = Files.createDirectories(dir.resolve("landing/shopify/orders"));
        Files.writeString(orders.resolve("orders-1.json"), "{\"orders\":[]}");
        Files.writeString(Files.createDirectories(orders.resolve("2025/03")).resolve("orders-2.json"), "{}");
        Files.writeString(Files.createDirectories(orders.resolve("_staging")).resolve("orders-3.json"), "{}");
        Files.writeString(Files.createDirectories(orders.resolve("2025/.partial")).resolve("orders-4.json"), "{}");
        Files.writeString(orders.resolve("_orders-5.json"), "{}");
        Warehouse wh = new Warehouse(spark, dir.resolve("wh").toString());

        List<String> listed = BronzeIngest.listFiles(wh, dir.resolve("landing").toString(),
                LandingSource.SHOPIFY_ORDERS).stream().map(f -> f.path().substring(f.path().indexOf("/orders/")))
                .toList();

        assertThat(listed).containsExactly("/orders/2025/03/orders-2.json", "/orders/orders-1.json");
    }

    private static BronzeIngest.NewFile listing(Path p) throws Exception {
        return new BronzeIngest.NewFile(p.toUri().toString(), Files.size(p), Files.getLastModifiedTime(p).toMillis());
    }

    private static DuplicateFiles.Candidate read(Path p) throws Exception {
        return new DuplicateFiles.Candidate(p.toUri().toString(), Files.size(p),
                Files.getLastModifiedTime(p).toMillis(), "hash");
    }
}
