package io.supportroi.model;

import io.supportroi.ingest.BronzeIngest;
import io.supportroi.ingest.LandingSource;
import io.supportroi.ops.Quarantine;
import io.supportroi.ops.TableRef;
import io.supportroi.ops.Warehouse;
import io.supportroi.testing.FixtureLanding;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A landing built from the payloads the vendors publish (fixtures/vendor/SOURCES.md): every field of Zendesk's,
 * Gorgias's, Shopify's and Stripe's example objects, with values of our own so that one story runs through them.
 * The silver rows they must give were written by hand (fixtures/vendor/expected/*.tsv, one file per table: a header
 * of every column, then one row per line; {@code \N} is null, times are UTC instants, lists are JSON).
 */
@ExtendWith(SparkTest.class)
class VendorPayloadsTest {
    private static final String NULL = "\\N";

    @TempDir
    static Path tmp;

    private static Warehouse wh;
    private static Map<LandingSource, BronzeIngest.SourceResult> ingested;

    @BeforeAll
    static void ingestAndBuildSilver(SparkSession spark) {
        FixtureLanding fixture = FixtureLanding.ingest(spark, "vendor/landing", tmp, "run-1",
                new Timestamp(System.currentTimeMillis()));
        wh = fixture.wh();
        ingested = fixture.ingested().stream().collect(Collectors.toMap(BronzeIngest.SourceResult::source, r -> r));
        SilverBuild.build(wh, fixture.settings(), "run-1");
    }

    @Test
    void everyVendorRecordIsReadAndNoneIsQuarantined() {
        assertThat(ingested.get(LandingSource.ZENDESK_TICKETS).read()).isEqualTo(4);
        assertThat(ingested.get(LandingSource.ZENDESK_TICKET_METRICS).read()).isEqualTo(2);
        assertThat(ingested.get(LandingSource.ZENDESK_USERS).read()).isEqualTo(4);
        assertThat(ingested.get(LandingSource.GORGIAS_TICKETS).read()).isEqualTo(1);
        assertThat(ingested.get(LandingSource.GORGIAS_SATISFACTION_SURVEYS).read()).isEqualTo(1);
        assertThat(ingested.get(LandingSource.SHOPIFY_ORDERS).read()).isEqualTo(2);
        assertThat(ingested.get(LandingSource.STRIPE_EVENTS).read()).isEqualTo(10);
        for (BronzeIngest.SourceResult r : ingested.values()) {
            assertThat(r.written()).as(r.source().name()).isEqualTo(r.read());
        }
        // The vendors' own examples are valid records: a quarantined one is an adapter that misreads the format.
        List<Row> quarantined = wh.exists(Quarantine.TABLE)
                ? wh.read(Quarantine.TABLE).select(Quarantine.SOURCE, Quarantine.REASON).collectAsList()
                : List.of();
        assertThat(quarantined).isEmpty();
    }

    static Stream<String> tables() {
        return Stream.of("customer_identities", "customers", "tickets", "orders", "order_lines", "refunds",
                "subscriptions", "renewal_attempts", "agents");
    }

    @ParameterizedTest
    @MethodSource("tables")
    void silverHoldsExactlyTheRowsWrittenByHand(String name) {
        List<String> expected = resourceLines("/fixtures/vendor/expected/silver." + name + ".tsv");
        Dataset<Row> table = wh.read(TableRef.silver(name));
        assertThat(String.join("\t", table.columns())).as("columns of silver." + name).isEqualTo(expected.get(0));
        assertThat(asText(table)).as("rows of silver." + name)
                .containsExactlyInAnyOrderElementsOf(expected.subList(1, expected.size()));
    }

    /** Each row as the expected files write it: tab-separated, lists and structs as JSON, null as {@code \N}. */
    private static List<String> asText(Dataset<Row> table) {
        List<Column> columns = new ArrayList<>();
        for (StructField f : table.schema().fields()) {
            boolean nested = f.dataType() instanceof ArrayType || f.dataType() instanceof StructType;
            columns.add(nested ? to_json(col(f.name())).as(f.name()) : col(f.name()));
        }
        return table.select(columns.toArray(Column[]::new)).collectAsList().stream()
                .map(row -> {
                    List<String> cells = new ArrayList<>();
                    for (int i = 0; i < row.length(); i++) {
                        cells.add(cell(row.get(i)));
                    }
                    return String.join("\t", cells);
                })
                .toList();
    }

    private static String cell(Object value) {
        if (value == null) {
            return NULL;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant().toString();
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return value.toString();
    }

    private static List<String> resourceLines(String resource) {
        try (InputStream in = VendorPayloadsTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                    .filter(line -> !line.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
