package io.supportroi.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(SparkTest.class)
class NotebooksTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String notebook(String... codeCells) throws Exception {
        var doc = JSON.createObjectNode();
        var cells = doc.putArray("cells");
        cells.addObject().put("cell_type", "markdown").put("source", "# A title");
        for (String code : codeCells) {
            var c = cells.addObject().put("cell_type", "code");
            c.putArray("outputs");
            // nbformat's list-of-lines form, as Jupyter saves it.
            var lines = c.putArray("source");
            code.lines().forEach(l -> lines.add(l + "\n"));
        }
        doc.put("nbformat", 4).put("nbformat_minor", 5);
        return JSON.writeValueAsString(doc);
    }

    @Test
    void cellsRunInOrderAndAFailedCellIsAnErrorOutputAndAFailure(SparkSession spark, @TempDir Path dir)
            throws Exception {
        Path source = Files.createDirectories(dir.resolve("nb"));
        Files.writeString(source.resolve("a.ipynb"), notebook(
                "%load_ext supportroi_sql",
                "%%sql --chart bar --x k --y v --title \"Two rows\"\nSELECT 'b' AS k, 2 AS v UNION ALL SELECT 'a', 1\n"
                        + "ORDER BY k;",
                "%%sql\nSELECT * FROM gold.no_such_table",
                "%%sql\nDROP TABLE gold.support_pnl_monthly",
                "print('python')",
                "%%sql --chart pie --x k --y v\nSELECT 1 AS k, 1 AS v"));
        Files.writeString(source.resolve("notes.txt"), "not a notebook");

        Notebooks.Result result = Notebooks.run(spark, new Warehouse(spark, dir.resolve("wh").toString()), source,
                dir.resolve("out"));

        assertThat(result.written()).containsExactly(dir.resolve("out").resolve("a.ipynb"));
        assertThat(result.cells()).isEqualTo(6);
        assertThat(result.failures()).extracting(Notebooks.Failure::cell).containsExactly(3, 4, 5, 6);
        assertThat(result.failures().get(1).error()).contains("read-only");
        assertThat(result.failures().get(2).error()).contains("only %%sql cells");
        assertThat(result.failures().get(3).error()).contains("unknown chart 'pie'");

        JsonNode cells = JSON.readTree(result.written().get(0).toFile()).get("cells");
        assertThat(cells.get(0).has("outputs")).isFalse();
        assertThat(cells.get(1).get("outputs").get(0).get("output_type").asText()).isEqualTo("stream");
        JsonNode query = cells.get(2);
        assertThat(query.get("execution_count").asInt()).isEqualTo(2);
        JsonNode table = query.get("outputs").get(0);
        assertThat(table.get("output_type").asText()).isEqualTo("execute_result");
        String html = table.get("data").get("text/html").asText();
        assertThat(html.indexOf("<td>a</td>")).isPositive().isLessThan(html.indexOf("<td>b</td>"));
        JsonNode chart = query.get("outputs").get(1).get("data").get(VegaLite.MIME);
        assertThat(chart.get("title").asText()).isEqualTo("Two rows");
        assertThat(chart.get("data").get("values")).hasSize(2);
        assertThat(chart.get("layer").get(0).get("mark").get("type").asText()).isEqualTo("bar");
        for (int i = 3; i <= 6; i++) {
            assertThat(cells.get(i).get("outputs")).hasSize(1);
            assertThat(cells.get(i).get("outputs").get(0).get("output_type").asText()).isEqualTo("error");
        }
    }

    @Test
    void aFolderWithoutNotebooksIsAnError(SparkSession spark, @TempDir Path dir) {
        assertThatThrownBy(() -> Notebooks.run(spark, new Warehouse(spark, dir.resolve("wh").toString()), dir,
                dir.resolve("out"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no notebooks");
    }

    @Test
    void magicLineTokensKeepQuotedTitlesWhole() {
        assertThat(Notebooks.tokens(" --chart line --title \"Net profit, monthly\"  --x month"))
                .isEqualTo(List.of("--chart", "line", "--title", "Net profit, monthly", "--x", "month"));
        assertThatThrownBy(() -> Notebooks.tokens("--title \"open")).hasMessageContaining("unclosed quote");
    }
}
