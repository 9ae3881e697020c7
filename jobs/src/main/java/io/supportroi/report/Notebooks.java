package io.supportroi.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.supportroi.config.BadInput;
import io.supportroi.ops.ReadOnlySql;
import io.supportroi.ops.Warehouse;
import io.supportroi.ops.WarehouseCatalog;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs the analysts' notebooks headless, in this JVM, against a warehouse, and writes executed copies that render
 * wherever .ipynb files do (JupyterLab, GitHub): a query's rows as an HTML table (with a plain-text twin), its chart
 * as a Vega-Lite output. There is no Python Spark here, so a Jupyter kernel cannot run the cells; the notebooks'
 * code cells are {@code %%sql} cells, which this class runs with Spark SQL, read-only, exactly as the {@code sql}
 * command would.
 *
 * <p>A {@code %%sql} cell's first line may carry chart options, e.g.
 * {@code %%sql --chart line --x month --y net_profit}; see {@link CellOptions}.
 */
public final class Notebooks {
    private Notebooks() {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static final String MAGIC = "%%sql";
    /** The IPython extension that gives an interactive kernel the same magic; a no-op when run headless. */
    public static final String LOAD_EXTENSION = "%load_ext supportroi_sql";

    /** What a {@code %%sql} line may say. */
    @CommandLine.Command(name = MAGIC)
    public static final class CellOptions {
        @CommandLine.Option(names = "--chart", description = "bar, line or point")
        String chart;

        @CommandLine.Option(names = "--x")
        String x;

        @CommandLine.Option(names = "--y")
        String y;

        @CommandLine.Option(names = "--color")
        String color;

        @CommandLine.Option(names = "--low", description = "interval lower bound column")
        String low;

        @CommandLine.Option(names = "--high", description = "interval upper bound column")
        String high;

        @CommandLine.Option(names = "--title")
        String title;

        @CommandLine.Option(names = "--limit", defaultValue = "200", description = "rows shown at most")
        int limit;
    }

    public record Failure(String notebook, int cell, String error) {
        @Override
        public String toString() {
            return notebook + ", cell " + cell + ": " + error;
        }
    }

    public record Result(List<Path> written, int cells, List<Failure> failures) {}

    /** Every {@code *.ipynb} in {@code sourceDir}, executed into {@code outDir} under the same name. */
    public static Result run(SparkSession spark, Warehouse wh, Path sourceDir, Path outDir) throws IOException {
        List<Path> notebooks;
        try (Stream<Path> files = Files.list(sourceDir)) {
            notebooks = files.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
        }
        if (notebooks.isEmpty()) {
            throw new BadInput("no notebooks (*.ipynb) in " + sourceDir);
        }
        long started = System.nanoTime();
        int tables = WarehouseCatalog.register(wh).size();
        io.supportroi.ops.Progress.line("notebooks", "%d table(s) registered in %.1f s", tables,
                (System.nanoTime() - started) / 1e9);
        Files.createDirectories(outDir);
        List<Path> written = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        int cells = 0;
        for (Path nb : notebooks) {
            String name = nb.getFileName().toString();
            long nbStarted = System.nanoTime();
            ObjectNode notebook = (ObjectNode) JSON.readTree(nb.toFile());
            int ran = execute(spark, notebook, name, failures);
            cells += ran;
            io.supportroi.ops.Progress.line("notebooks", "%s: %d cell(s) in %.1f s", name, ran,
                    (System.nanoTime() - nbStarted) / 1e9);
            Path target = outDir.resolve(name);
            Path tmp = outDir.resolve("." + name + ".tmp");
            JSON.writeValue(tmp.toFile(), notebook);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            written.add(target);
        }
        return new Result(written, cells, failures);
    }

    /** Runs the code cells in order, replacing their outputs; returns how many ran. A failed cell does not stop it. */
    static int execute(SparkSession spark, ObjectNode notebook, String name, List<Failure> failures) {
        int count = 0;
        for (JsonNode c : notebook.withArray("cells")) {
            ObjectNode cell = (ObjectNode) c;
            if (!"code".equals(cell.path("cell_type").asText())) {
                continue;
            }
            count++;
            cell.put("execution_count", count);
            ArrayNode outputs = cell.putArray("outputs");
            String source = source(cell.get("source"));
            try {
                run(spark, source, count, outputs);
            } catch (Exception e) {
                // Spark's AnalysisException is checked, and thrown by spark.sql() undeclared: catch it with the rest.
                String message = firstLine(e);
                outputs.removeAll();
                ObjectNode err = outputs.addObject();
                err.put("output_type", "error");
                err.put("ename", e.getClass().getSimpleName());
                err.put("evalue", message);
                err.putArray("traceback").add(e.getClass().getSimpleName() + ": " + message);
                failures.add(new Failure(name, count, message));
            }
        }
        return count;
    }

    private static void run(SparkSession spark, String source, int count, ArrayNode outputs) {
        String trimmed = source.strip();
        if (trimmed.equals(LOAD_EXTENSION)) {
            stream(outputs, "supportroi_sql: %%sql cells run against the warehouse (headless run)\n");
            return;
        }
        if (!trimmed.startsWith(MAGIC)) {
            throw new IllegalArgumentException("only " + MAGIC + " cells run headless; this cell starts with '"
                    + trimmed.lines().findFirst().orElse("") + "'");
        }
        int eol = trimmed.indexOf('\n');
        String header = eol < 0 ? trimmed : trimmed.substring(0, eol);
        String sql = eol < 0 ? "" : trimmed.substring(eol + 1).strip();
        CellOptions options = new CellOptions();
        List<String> args = tokens(header.substring(MAGIC.length()));
        try {
            new CommandLine(options).parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException("bad " + MAGIC + " options: " + e.getMessage(), e);
        }
        if (sql.endsWith(";")) {
            sql = sql.substring(0, sql.length() - 1);
        }
        if (sql.isBlank()) {
            throw new IllegalArgumentException("empty " + MAGIC + " cell");
        }
        ReadOnlySql.check(spark, sql);
        ResultTable table = ResultTable.of(spark.sql(sql), options.limit);
        ObjectNode result = outputs.addObject();
        result.put("output_type", "execute_result");
        result.put("execution_count", count);
        result.putObject("metadata");
        ObjectNode data = result.putObject("data");
        data.put("text/html", table.html());
        data.put("text/plain", table.plainText());
        if (options.chart != null) {
            if (options.x == null || options.y == null) {
                throw new IllegalArgumentException("--chart needs --x and --y");
            }
            ObjectNode chart = outputs.addObject();
            chart.put("output_type", "display_data");
            chart.putObject("metadata");
            ObjectNode chartData = chart.putObject("data");
            chartData.set(VegaLite.MIME, VegaLite.chart(table, VegaLite.Mark.parse(options.chart), options.x,
                    options.y, options.color, options.low, options.high, options.title));
            chartData.put("text/plain", "<Vega-Lite chart: " + options.chart + " of " + options.y + " by "
                    + options.x + ">");
        }
    }

    private static void stream(ArrayNode outputs, String text) {
        ObjectNode s = outputs.addObject();
        s.put("output_type", "stream");
        s.put("name", "stdout");
        s.put("text", text);
    }

    /** nbformat stores a cell's source as one string or as a list of lines. */
    static String source(JsonNode node) {
        if (node == null || node.isNull()) {
            return "";
        }
        if (node.isArray()) {
            StringBuilder b = new StringBuilder();
            node.forEach(line -> b.append(line.asText()));
            return b.toString();
        }
        return node.asText();
    }

    /** Splits on blanks, keeping "quoted strings" whole (titles). */
    static List<String> tokens(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char ch : line.toCharArray()) {
            if (ch == '"') {
                quoted = !quoted;
                any = true;
            } else if (Character.isWhitespace(ch) && !quoted) {
                if (any) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(ch);
                any = true;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unclosed quote in: " + line);
        }
        if (any) {
            out.add(cur.toString());
        }
        return out;
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
