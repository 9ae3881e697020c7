package io.supportroi.analytics;

import io.supportroi.analytics.worklists.UpsellWorklist;
import io.supportroi.analytics.worklists.WinbackWorklist;
import io.supportroi.ops.Warehouse;
import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import static io.supportroi.testing.Frames.money;
import static io.supportroi.testing.Frames.row;
import static io.supportroi.testing.Frames.ts;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(SparkTest.class)
class GoldExportsTest {
    static final LocalDate AS_OF = LocalDate.parse("2025-03-31");
    static final String DDL = "customer_id STRING, email STRING, name STRING, failed_at TIMESTAMP, "
            + "amount_due DECIMAL(18,2), already_contacted BOOLEAN";

    private static List<String> lines(Path file) throws Exception {
        return Arrays.asList(Files.readString(file, StandardCharsets.UTF_8).split("\r\n"));
    }

    @Test
    void oneCsvPerListWithAHeaderAndASecondRunOverwrites(SparkSession spark, @TempDir Path dir) throws Exception {
        Warehouse wh = new Warehouse(spark, dir.toString());
        Dataset<Row> first = Frames.of(spark, DDL,
                row("C2", "b@example.com", "Doe, Jane", ts("2025-03-18T06:00:00Z"), money("39.00"), false),
                row("C1", "a@example.com", "=HYPERLINK(\"x\")", ts("2025-03-10T06:00:00Z"), money("5.50"), true),
                row("C3", "c@example.com", null, null, null, false));
        Dataset<Row> other = Frames.of(spark, DDL,
                row("C9", "z@example.com", "Zed", ts("2025-03-01T06:00:00Z"), money("1.00"), false));

        assertThat(GoldExports.write(wh, AS_OF, WinbackWorklist.TABLE, first, List.of("customer_id"))).isEqualTo(3);
        GoldExports.write(wh, AS_OF, UpsellWorklist.TABLE, other, List.of("customer_id"));

        Path folder = dir.resolve("exports").resolve("2025-03-31");
        assertThat(folder.toFile().list()).containsExactlyInAnyOrder("winback_worklist.csv", "upsell_worklist.csv");
        Path winback = folder.resolve("winback_worklist.csv");
        assertThat(winback.toFile()).isFile();
        assertThat(lines(winback)).containsExactly(
                "customer_id,email,name,failed_at,amount_due,already_contacted",
                "C1,a@example.com,\"'=HYPERLINK(\"\"x\"\")\",2025-03-10T06:00:00Z,5.50,true",
                "C2,b@example.com,\"Doe, Jane\",2025-03-18T06:00:00Z,39.00,false",
                "C3,c@example.com,,,,false");
        assertThat(lines(folder.resolve("upsell_worklist.csv"))).hasSize(2);

        // The same night again, with a shorter list: replaced, not appended, no leftovers beside it.
        assertThat(GoldExports.write(wh, AS_OF, WinbackWorklist.TABLE, first.filter("customer_id = 'C2'"),
                List.of("customer_id"))).isEqualTo(1);
        assertThat(lines(winback)).containsExactly(
                "customer_id,email,name,failed_at,amount_due,already_contacted",
                "C2,b@example.com,\"Doe, Jane\",2025-03-18T06:00:00Z,39.00,false");
        File[] files = folder.toFile().listFiles();
        assertThat(files).extracting(File::getName)
                .containsExactlyInAnyOrder("winback_worklist.csv", "upsell_worklist.csv");
    }

    private static String hmac(String value, String key) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void exportsCarryAKeyedHashInsteadOfTheCustomer(SparkSession spark, @TempDir Path dir) throws Exception {
        Warehouse wh = new Warehouse(spark, dir.toString());
        Dataset<Row> list = Frames.of(spark, DDL,
                row("C2", "b@example.com", "Doe, Jane", ts("2025-03-18T06:00:00Z"), money("39.00"), false),
                row("C1", "a@example.com", "Ann", ts("2025-03-10T06:00:00Z"), money("5.50"), true));
        String key = "a key of at least sixteen characters";

        GoldExports.ForAnalysts keyed = GoldExports.forAnalysts(list, List.of("customer_id"),
                java.util.Optional.of(key.getBytes(StandardCharsets.UTF_8)));
        assertThat(keyed.customerLeftOut()).isFalse();
        assertThat(keyed.order()).containsExactly(GoldExports.CUSTOMER_KEY);
        GoldExports.write(wh, AS_OF, WinbackWorklist.TABLE, keyed.rows(), keyed.order());
        GoldExports.writeParquet(wh, AS_OF, WinbackWorklist.TABLE, keyed.rows());
        Path csv = dir.resolve("exports").resolve("2025-03-31").resolve("winback_worklist.csv");
        List<String> expected = new java.util.ArrayList<>(List.of(
                hmac("C1", key) + ",2025-03-10T06:00:00Z,5.50,true",
                hmac("C2", key) + ",2025-03-18T06:00:00Z,39.00,false"));
        java.util.Collections.sort(expected);
        assertThat(lines(csv)).containsExactlyElementsOf(java.util.stream.Stream.concat(
                java.util.stream.Stream.of("customer_key,failed_at,amount_due,already_contacted"),
                expected.stream()).toList());
        Dataset<Row> parquet = spark.read().parquet(
                GoldExports.parquet(wh.root(), AS_OF, WinbackWorklist.TABLE).toString());
        assertThat(parquet.columns()).containsExactly("customer_key", "failed_at", "amount_due",
                "already_contacted");
        // Nothing that names the customer is anywhere in the exports' bytes.
        try (java.util.stream.Stream<Path> files = Files.walk(dir.resolve("exports"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(bytes).as(f.toString()).doesNotContain("example.com", "Doe", "Ann");
            }
        }

        // Without a key there is nothing to hash with: the customer is left out, never exported in the clear.
        GoldExports.ForAnalysts unkeyed = GoldExports.forAnalysts(list, List.of("customer_id", "failed_at"),
                java.util.Optional.empty());
        assertThat(unkeyed.customerLeftOut()).isTrue();
        assertThat(unkeyed.rows().columns()).containsExactly("failed_at", "amount_due", "already_contacted");
        assertThat(unkeyed.order()).containsExactly("failed_at");
    }
}
