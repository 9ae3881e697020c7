package io.supportroi.ops;

import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(SparkTest.class)
class KeyedHashTest {
    private static String spark(SparkSession spark, String value, byte[] key) {
        Dataset<Row> one = spark.createDataset(Arrays.asList(value), Encoders.STRING()).toDF("v");
        return one.select(KeyedHash.hmacSha256Hex(col("v"), key)).first().getString(0);
    }

    private static String jce(String value, byte[] key) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void rfc4231TestVectors(SparkSession spark) {
        // Test case 2: a key shorter than the block.
        assertThat(spark(spark, "what do ya want for nothing?", "Jefe".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        // Test case 6: a key longer than the block is hashed first.
        byte[] longKey = new byte[131];
        Arrays.fill(longKey, (byte) 0xaa);
        assertThat(spark(spark, "Test Using Larger Than Block-Size Key - Hash Key First", longKey))
                .isEqualTo("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    }

    @Test
    void agreesWithTheJdkOnEveryKeyLengthAndOnUnicode(SparkSession spark) throws Exception {
        List<String> values = List.of("c_0123456789abcdef0123", "", "Zoë Ångström 中文 ✓");
        List<String> keys = new ArrayList<>();
        for (int len : new int[] {16, 63, 64, 65, 200}) {
            keys.add("k".repeat(len));
        }
        for (String key : keys) {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            for (String v : values) {
                assertThat(spark(spark, v, k)).as("key of %d bytes, value %s", k.length, v).isEqualTo(jce(v, k));
            }
        }
        Dataset<Row> nulls = spark.sql("SELECT CAST(NULL AS STRING) AS v");
        assertThat(nulls.select(KeyedHash.hmacSha256Hex(col("v"), "k".repeat(16).getBytes(StandardCharsets.UTF_8)))
                .first().isNullAt(0)).isTrue();
    }
}
