package io.supportroi.bench;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TableDiffTest {
    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void engineTypesThatHoldTheSameNumbersAreTheSame() {
        var spark = List.of(row("k", 1, "n", 42L, "money", new BigDecimal("12.30"), "rate", 0.25,
                "day", java.sql.Date.valueOf("2025-12-31"), "none", null));
        var duck = List.of(row("k", 1L, "n", BigInteger.valueOf(42), "money", new BigDecimal("12.3"),
                "rate", 0.25 + 5e-10, "day", java.time.LocalDate.parse("2025-12-31"), "none", null));
        TableDiff.Result r = TableDiff.compare(spark, duck, List.of("k"));
        assertThat(r.listed()).isEmpty();
        assertThat(r.same()).isTrue();
        assertThat(r.rows()).isEqualTo(1);
    }

    @Test
    void aCentARateBeyondTheToleranceANullAndAMissingRowAreDifferences() {
        var spark = List.of(
                row("k", "a", "money", new BigDecimal("10.00"), "rate", 0.5, "csat", 0.9),
                row("k", "b", "money", new BigDecimal("1.00"), "rate", 0.1, "csat", null));
        var duck = List.of(
                row("k", "a", "money", new BigDecimal("10.01"), "rate", 0.5 + 2e-9, "csat", null),
                row("k", "c", "money", new BigDecimal("1.00"), "rate", 0.1, "csat", null));
        TableDiff.Result r = TableDiff.compare(spark, duck, List.of("k"));
        assertThat(r.same()).isFalse();
        assertThat(r.differences()).isEqualTo(5);
        assertThat(r.listed()).anyMatch(d -> d.contains("money")).anyMatch(d -> d.contains("rate"))
                .anyMatch(d -> d.contains("csat")).anyMatch(d -> d.contains("missing"))
                .anyMatch(d -> d.contains("extra"));
    }

    @Test
    void largeStatisticsAreComparedRelatively() {
        assertThat(TableDiff.same(1234.5678, 1234.5678 * (1 + 5e-10))).isTrue();
        assertThat(TableDiff.same(1234.5678, 1234.5678 * (1 + 5e-9))).isFalse();
    }

    @Test
    void aScalaSequenceAndAJavaListWithTheSameItemsAreTheSame() {
        Object spark = scala.jdk.javaapi.CollectionConverters.asScala(List.of("csat", "first_response")).toSeq();
        assertThat(TableDiff.same(spark, List.of("csat", "first_response"))).isTrue();
        assertThat(TableDiff.same(spark, List.of("first_response", "csat"))).isFalse();
        assertThat(TableDiff.same(spark, List.of("csat"))).isFalse();
        assertThat(TableDiff.same(spark, "[csat, first_response]")).isFalse();
    }
}
