package io.supportroi.model;

import io.supportroi.config.Settings;
import io.supportroi.ingest.BronzeIngest;
import io.supportroi.ops.Quarantine;
import io.supportroi.ops.TableRef;
import io.supportroi.ops.Warehouse;
import io.supportroi.testing.Fixtures;
import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same small business exported twice (fixtures/messy): once clean, once the way real exports arrive: duplicate
 * and out-of-order pages, the same page delivered twice, tickets and orders re-sent with a newer version, an order in
 * two files with the same updated_at, Stripe event ids delivered twice and out of order, a refund level replayed under
 * a new event id, mixed-case and +tag emails, Shopify offsets and prices as numbers, CSV headers in another case and
 * order, repeated CSV rows, unknown columns and fields, a malformed line. Silver must come out identical.
 */
@ExtendWith(SparkTest.class)
class MessyInputTest {
    @TempDir
    static Path tmp;

    private static Warehouse clean;
    private static Warehouse dirty;
    private static SilverBuild.Result cleanResult;
    private static SilverBuild.Result dirtyResult;

    @BeforeAll
    static void buildBoth(SparkSession spark) {
        clean = new Warehouse(spark, tmp.resolve("clean-wh").toString());
        dirty = new Warehouse(spark, tmp.resolve("dirty-wh").toString());
        Path cleanLanding = Fixtures.copy("messy/clean", tmp.resolve("clean"));
        Path dirtyLanding = Fixtures.copy("messy/dirty", tmp.resolve("dirty"));
        // Two independent warehouses: built side by side, most of the time is per-job latency, not CPU.
        CompletableFuture<SilverBuild.Result> c = CompletableFuture.supplyAsync(() -> build(clean, cleanLanding));
        dirtyResult = build(dirty, dirtyLanding);
        cleanResult = c.join();
    }

    private static SilverBuild.Result build(Warehouse wh, Path landing) {
        Settings settings = SparkTest.settings().withPaths(landing.toString(), wh.root());
        BronzeIngest.run(wh, settings.landing(), "run-1", new Timestamp(System.currentTimeMillis()),
                settings.ingest().maxFileBytes());
        return SilverBuild.build(wh, settings, "run-1");
    }

    @Test
    void everySilverTableIsTheSame() {
        for (TableRef t : SilverBuild.TABLES) {
            assertThat(Frames.sortedRows(dirty.read(t))).as(t.qualified())
                    .isEqualTo(Frames.sortedRows(clean.read(t)));
        }
        assertThat(dirtyResult.unmatched()).isEqualTo(cleanResult.unmatched());
    }

    @Test
    void theMessIsReallyThere() {
        assertThat(dirty.read(Quarantine.TABLE).count()).isEqualTo(1);
        assertThat(clean.exists(Quarantine.TABLE)).isFalse();
        assertThat(dirty.read(io.supportroi.ingest.LandingSource.STRIPE_EVENTS.bronze()).count())
                .isGreaterThan(clean.read(io.supportroi.ingest.LandingSource.STRIPE_EVENTS.bronze()).count());
        assertThat(clean.read(Tickets.TABLE).count()).isEqualTo(4);
        assertThat(clean.read(Refunds.TABLE).count()).isEqualTo(3);
        assertThat(clean.read(RenewalAttempts.TABLE).count()).isEqualTo(4);
        assertThat(clean.read(Customers.TABLE).count()).isEqualTo(2);
    }
}
