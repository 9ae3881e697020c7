package io.supportroi.ingest;

import io.supportroi.ops.Warehouse;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Encoders;
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

    @Test
    void aRelativeLandingUnderAFolderNamedLikeStagingIsListed(SparkSession spark, @TempDir Path dir)
            throws Exception {
        Path orders = Files.createDirectories(dir.resolve("_nightly/landing/shopify/orders"));
        Files.writeString(orders.resolve("orders-1.json"), "{\"orders\":[]}");
        Warehouse wh = new Warehouse(spark, dir.resolve("wh").toString());
        String relative = Path.of("").toAbsolutePath().relativize(dir.resolve("_nightly/landing")).toString();

        assertThat(BronzeIngest.listFiles(wh, relative, LandingSource.SHOPIFY_ORDERS)).singleElement()
                .satisfies(f -> assertThat(f.path()).endsWith("/orders/orders-1.json"));
    }

    @Test
    void aFileNamedLikeAGlobIsReadAsItself(SparkSession spark, @TempDir Path dir) throws Exception {
        List<String> paths = List.of(
                asListed(Files.writeString(dir.resolve("orders[1].json"), "{\"orders\":[]}")),
                asListed(Files.writeString(dir.resolve("orders{1,2}.json"), "{\"orders\":[]}")),
                asListed(Files.writeString(dir.resolve("orders*?.json"), "{\"orders\":[]}")));
        // Were the names globs, "orders[1].json" would match nothing and "orders*?.json" all three.
        Files.writeString(dir.resolve("orders1.json"), "{}");
        Warehouse wh = new Warehouse(spark, dir.resolve("wh").toString());

        List<String> read = BronzeIngest.contents(wh, paths).select("path").as(Encoders.STRING()).collectAsList();

        assertThat(read).map(p -> new org.apache.hadoop.fs.Path(p).getName())
                .containsExactlyInAnyOrder("orders[1].json", "orders{1,2}.json", "orders*?.json");
    }

    @Test
    void aFileGoneSinceTheListingIsLeftOut(SparkSession spark, @TempDir Path dir) throws Exception {
        Path kept = Files.writeString(dir.resolve("orders-1.json"), "{\"orders\":[]}");
        Path gone = Files.writeString(dir.resolve("orders-2.json"), "{\"orders\":[]}");
        BronzeIngest.NewFile goneListed = listing(gone);
        DuplicateFiles.Candidate goneRead = read(gone);
        Files.delete(gone);
        Warehouse wh = new Warehouse(spark, dir.resolve("wh").toString());

        assertThat(BronzeIngest.contents(wh, List.of(kept.toUri().toString(), gone.toUri().toString()))
                .select("path").as(Encoders.STRING()).collectAsList())
                .singleElement().asString().endsWith("orders-1.json");
        assertThat(BronzeIngest.contents(wh, List.of(gone.toUri().toString())).isEmpty()).isTrue();
        assertThat(BronzeIngest.settled(wh, LandingSource.SHOPIFY_ORDERS, List.of(listing(kept), goneListed),
                List.of(read(kept), goneRead))).containsExactly(read(kept));
    }

    /** A path as Hadoop's listing gives it: not percent-encoded, as a URI would be. */
    private static String asListed(Path p) {
        return "file:" + p.toAbsolutePath();
    }

    private static BronzeIngest.NewFile listing(Path p) throws Exception {
        return new BronzeIngest.NewFile(p.toUri().toString(), Files.size(p), Files.getLastModifiedTime(p).toMillis());
    }

    private static DuplicateFiles.Candidate read(Path p) throws Exception {
        return new DuplicateFiles.Candidate(p.toUri().toString(), Files.size(p),
                Files.getLastModifiedTime(p).toMillis(), "hash");
    }
}
