package io.supportroi.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A query result small enough to show a person: at most {@code limit} rows, brought to the driver once and then
 * rendered as an HTML table, as Vega-Lite inline data, or as plain text. {@code truncated} says rows were left out,
 * so a reader is never shown part of a table as if it were all of it.
 */
public record ResultTable(List<String> columns, List<List<Object>> rows, boolean truncated) {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    public ResultTable {
        columns = List.copyOf(columns);
        rows = Collections.unmodifiableList(new ArrayList<>(rows));
    }

    /** Runs {@code rows} once, keeping at most {@code limit} of them (one more is read to know whether any remain). */
    public static ResultTable of(Dataset<Row> rows, int limit) {
        List<Row> taken = rows.limit(limit + 1).collectAsList();
        List<List<Object>> out = new ArrayList<>();
        for (Row r : taken.subList(0, Math.min(limit, taken.size()))) {
            List<Object> cells = new ArrayList<>(r.length());
            for (int i = 0; i < r.length(); i++) {
                cells.add(plain(r.get(i)));
            }
            out.add(cells);
        }
        return new ResultTable(List.of(rows.columns()), out, taken.size() > limit);
    }

    /** Spark's values as plain Java ones: arrays as lists, dates and times as java.time. */
    private static Object plain(Object v) {
        if (v instanceof scala.collection.Seq<?> seq) {
            List<Object> out = new ArrayList<>();
            scala.collection.Iterator<?> it = seq.iterator();
            while (it.hasNext()) {
                out.add(plain(it.next()));
            }
            return out;
        }
        if (v instanceof Timestamp t) {
            return t.toInstant();
        }
        if (v instanceof Date d) {
            return d.toLocalDate();
        }
        return v;
    }

    public int columnIndex(String column) {
        int i = columns.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("no column " + column + " in " + columns);
        }
        return i;
    }

    public List<Object> column(String column) {
        int i = columnIndex(column);
        return rows.stream().map(r -> r.get(i)).toList();
    }

    /** Rows as Vega-Lite inline data: one object per row, numbers as JSON numbers, times as ISO-8601 strings. */
    public ArrayNode values() {
        ArrayNode out = JSON.arrayNode();
        for (List<Object> r : rows) {
            ObjectNode o = out.addObject();
            for (int i = 0; i < columns.size(); i++) {
                o.set(columns.get(i), json(r.get(i)));
            }
        }
        return out;
    }

    private static com.fasterxml.jackson.databind.JsonNode json(Object v) {
        if (v == null) {
            return JSON.nullNode();
        }
        if (v instanceof BigDecimal b) {
            return JSON.numberNode(b);
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? JSON.nullNode() : JSON.numberNode(d);
        }
        if (v instanceof Float f) {
            return f.isNaN() || f.isInfinite() ? JSON.nullNode() : JSON.numberNode(f);
        }
        if (v instanceof Long l) {
            return JSON.numberNode(l);
        }
        if (v instanceof Integer n) {
            return JSON.numberNode(n);
        }
        if (v instanceof Short n) {
            return JSON.numberNode(n);
        }
        if (v instanceof Boolean b) {
            return JSON.booleanNode(b);
        }
        if (v instanceof List<?> list) {
            ArrayNode a = JSON.arrayNode();
            list.forEach(x -> a.add(json(x)));
            return a;
        }
        return JSON.textNode(text(v));
    }

    /** How a cell reads in a table: money with its cents, rates to four decimals, times in UTC. */
    public static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof BigDecimal b) {
            return b.toPlainString();
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? String.valueOf(d) : trim(String.format(Locale.ROOT, "%.4f", d));
        }
        if (v instanceof Float f) {
            return text(f.doubleValue());
        }
        if (v instanceof Instant i) {
            return i.toString();
        }
        if (v instanceof LocalDate d) {
            return d.toString();
        }
        if (v instanceof List<?> list) {
            return String.join(", ", list.stream().map(ResultTable::text).toList());
        }
        if (v instanceof byte[] bytes) {
            return bytes.length + " bytes";
        }
        return String.valueOf(v);
    }

    private static String trim(String fixed) {
        if (fixed.indexOf('.') < 0) {
            return fixed;
        }
        String t = fixed.replaceAll("0+$", "");
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }

    /** An HTML table; numbers right-aligned; a note under it when rows were left out. */
    public String html() {
        StringBuilder b = new StringBuilder("<div class=\"scroll\"><table class=\"result\">\n<thead><tr>");
        for (String c : columns) {
            b.append("<th>").append(Html.escape(c)).append("</th>");
        }
        b.append("</tr></thead>\n<tbody>\n");
        for (List<Object> r : rows) {
            b.append("<tr>");
            for (Object v : r) {
                boolean number = v instanceof Number;
                b.append(number ? "<td class=\"num\">" : "<td>").append(Html.escape(text(v))).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table></div>\n");
        if (truncated) {
            b.append("<p class=\"note\">First ").append(rows.size()).append(" rows shown.</p>\n");
        }
        return b.toString();
    }

    /** Aligned plain text, for the text/plain output of a notebook cell. */
    public String plainText() {
        int[] width = new int[columns.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = columns.get(i).length();
        }
        for (List<Object> r : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], text(r.get(i)).length());
            }
        }
        StringBuilder b = new StringBuilder();
        line(b, columns.stream().map(c -> (Object) c).toList(), width);
        for (List<Object> r : rows) {
            line(b, r, width);
        }
        if (truncated) {
            b.append("(first ").append(rows.size()).append(" rows)\n");
        }
        return b.toString();
    }

    private static void line(StringBuilder b, List<Object> cells, int[] width) {
        for (int i = 0; i < width.length; i++) {
            String t = text(cells.get(i));
            b.append(i == 0 ? "" : "  ");
            b.append(cells.get(i) instanceof Number ? " ".repeat(width[i] - t.length()) + t
                    : t + " ".repeat(width[i] - t.length()));
        }
        b.append('\n');
    }
}
