package io.supportroi.cli;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Query results for people (aligned text) and for programs (CSV, JSON Lines). Prints at most {@code limit} rows. */
public final class TablePrinter {
    private TablePrinter() {}

    public enum Format { TABLE, CSV, JSON }

    public static void print(Dataset<Row> df, Format format, int limit, PrintStream out) {
        PrintWriter writer = new PrintWriter(out);
        print(df, format, limit, writer);
        writer.flush();
    }

    public static void print(Dataset<Row> df, Format format, int limit, PrintWriter out) {
        switch (format) {
            case JSON -> {
                for (String line : df.limit(limit).toJSON().collectAsList()) {
                    out.println(line);
                }
            }
            case CSV -> {
                StructField[] fields = df.schema().fields();
                // Rows first: a statement that fails as it runs prints nothing, not a header without rows.
                List<Row> rows = df.limit(limit).collectAsList();
                List<String> header = new ArrayList<>();
                for (StructField f : fields) {
                    header.add(csv(f.name()));
                }
                out.println(String.join(",", header));
                for (Row r : rows) {
                    List<String> cells = new ArrayList<>();
                    for (int i = 0; i < fields.length; i++) {
                        cells.add(r.isNullAt(i) ? "" : csv(plain(r.get(i))));
                    }
                    out.println(String.join(",", cells));
                }
            }
            case TABLE -> table(df, limit, out);
        }
        out.flush();
    }

    private static void table(Dataset<Row> df, int limit, PrintWriter out) {
        StructField[] fields = df.schema().fields();
        List<Row> rows = df.limit(limit + 1).collectAsList();
        boolean more = rows.size() > limit;
        if (more) {
            rows = rows.subList(0, limit);
        }
        List<String[]> cells = new ArrayList<>();
        int[] width = new int[fields.length];
        String[] header = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            header[i] = fields[i].name();
            width[i] = header[i].length();
        }
        for (Row r : rows) {
            String[] c = new String[fields.length];
            for (int i = 0; i < fields.length; i++) {
                c[i] = r.isNullAt(i) ? "" : human(r.get(i));
                width[i] = Math.max(width[i], c[i].length());
            }
            cells.add(c);
        }
        StringBuilder sep = new StringBuilder();
        for (int w : width) {
            sep.append('+').append("-".repeat(w + 2));
        }
        sep.append('+');
        out.println(sep);
        out.println(line(header, width, fields));
        out.println(sep);
        for (String[] c : cells) {
            out.println(line(c, width, fields));
        }
        out.println(sep);
        out.println(rows.size() + " row(s)" + (more ? " shown; more not shown (limit " + limit + ")" : ""));
    }

    private static String line(String[] c, int[] width, StructField[] fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < c.length; i++) {
            boolean numeric = fields[i].dataType() instanceof org.apache.spark.sql.types.NumericType;
            String v = numeric ? " ".repeat(width[i] - c[i].length()) + c[i]
                    : c[i] + " ".repeat(width[i] - c[i].length());
            sb.append("| ").append(v).append(' ');
        }
        return sb.append('|').toString();
    }

    /** Rates and statistics at four decimals are what a reader compares; exact values stay in CSV/JSON. */
    private static String human(Object v) {
        if (v instanceof Double d) {
            return d.isNaN() ? "NaN" : String.format(Locale.ROOT, "%.4f", d);
        }
        if (v instanceof Float f) {
            return String.format(Locale.ROOT, "%.4f", f);
        }
        return plain(v);
    }

    private static String plain(Object v) {
        if (v instanceof BigDecimal b) {
            return b.toPlainString();
        }
        if (v instanceof scala.collection.Seq<?> s) {
            return s.mkString("[", ", ", "]");
        }
        return String.valueOf(v);
    }

    private static String csv(String s) {
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
