package io.supportroi.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.supportroi.cli.Main;
import io.supportroi.testing.SparkTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark command end to end on a tiny business: three nightly runs (full, history, incremental) and the
 * engines' comparison. Minutes of fixed cost per run: tagged {@code slow}.
 */
@Tag("slow")
@ExtendWith(SparkTest.class)
class BenchCommandTest {
    @TempDir
    Path tmp;

    @Test
    void benchTimesEveryStageAndFindsTheEnginesAgree() throws Exception {
        Path json = tmp.resolve("bench-results.json");
        int code = Main.execute("bench", "--customers", "200", "--months", "2", "--runs", "1", "--seed", "3",
                "--workdir", tmp.resolve("work").toString(), "--out", json.toString(), "--quiet");
        assertThat(code).isZero();

        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.path("machine").path("cores").asInt()).isPositive();
        assertThat(root.path("machine").path("memory_mb").asLong()).isPositive();
        JsonNode size = root.path("sizes").get(0);
        assertThat(size.path("customers").asInt()).isEqualTo(200);
        List<String> stages = new ArrayList<>();
        size.path("stages").forEach(s -> {
            stages.add(s.path("stage").asText());
            assertThat(s.path("median_seconds").asDouble()).as(s.toString()).isPositive();
            assertThat(s.path("peak_heap_mb").asLong()).as(s.toString()).isPositive();
        });
        assertThat(stages).contains("generate", "ingest", "silver", "gold", "report", "gold_compared_duckdb",
                "gold_compared_spark");
        assertThat(size.path("incremental_run").path("new_files").asLong()).isPositive();
        assertThat(size.path("incremental_run").path("share_of_full").asDouble()).isPositive();
        JsonNode gold = size.path("gold_comparison");
        assertThat(gold.path("same_numbers").asBoolean()).isTrue();
        assertThat(gold.path("duckdb_seconds")).hasSize(3);
        assertThat(gold.path("spark_over_duckdb").asDouble()).isPositive();
    }
}
