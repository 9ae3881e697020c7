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
import static org.assertj.core.api.Assertions.offset;

/**
 * The benchmark command end to end on a tiny business, twice: first without a full run (the history's build timed
 * instead, the engines compared on the incremental warehouse), then with one, reusing the business and the history.
 * Minutes of fixed cost per nightly run: tagged {@code slow}.
 */
@Tag("slow")
@ExtendWith(SparkTest.class)
class BenchCommandTest {
    @TempDir
    Path tmp;

    @Test
    void benchTimesEveryStageAndFindsTheEnginesAgree() throws Exception {
        Path historyOnly = tmp.resolve("history-only.json");
        assertThat(bench(historyOnly, "--full-runs", "0")).isZero();
        JsonNode first = new ObjectMapper().readTree(historyOnly.toFile()).path("sizes").get(0);
        double historySeconds = first.path("history_build_seconds").asDouble();
        assertThat(historySeconds).isPositive();
        assertThat(first.path("full_run").path("seconds")).isEmpty();
        assertThat(first.path("incremental_run").path("compared_with").asText()).isEqualTo("history_build");
        assertThat(first.path("incremental_run").path("share_of_full").asDouble()).isCloseTo(
                first.path("incremental_run").path("median_seconds").asDouble() / historySeconds,
                offset(1e-9));
        List<String> firstStages = new ArrayList<>();
        first.path("stages").forEach(s -> firstStages.add(s.path("stage").asText()));
        assertThat(firstStages).contains("generate", "history ingest", "history silver", "history gold", "incremental ingest",
                "incremental silver", "incremental gold", "gold_compared_duckdb").doesNotContain("ingest", "report");
        assertThat(first.path("gold_comparison").path("same_numbers").asBoolean()).isTrue();

        Path json = tmp.resolve("bench-results.json");
        assertThat(bench(json)).isZero();

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
        assertThat(stages).contains("ingest", "silver", "gold", "report", "incremental ingest",
                "gold_compared_duckdb", "gold_compared_spark");
        // The business and the history were made by the first invocation and reused.
        assertThat(stages).doesNotContain("generate", "history ingest");
        assertThat(size.path("history_build_seconds").isNull()).isTrue();
        assertThat(size.path("incremental_run").path("compared_with").asText()).isEqualTo("full_run");
        assertThat(size.path("incremental_run").path("new_files").asLong()).isPositive();
        assertThat(size.path("incremental_run").path("share_of_full").asDouble()).isPositive();
        JsonNode gold = size.path("gold_comparison");
        assertThat(gold.path("same_numbers").asBoolean()).isTrue();
        assertThat(gold.path("duckdb_seconds")).hasSize(3);
        assertThat(gold.path("spark_over_duckdb").asDouble()).isPositive();
    }

    private int bench(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("bench", "--customers", "200", "--months", "2", "--runs", "1",
                "--seed", "3", "--workdir", tmp.resolve("work").toString(), "--out", out.toString(), "--quiet"));
        args.addAll(List.of(more));
        return Main.execute(args.toArray(String[]::new));
    }
}
