package io.supportroi.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;


/**
 * Vega-Lite specifications, built as JSON trees with the data inline, so a chart needs nothing but the libraries
 * (the report inlines them; JupyterLab ships its own renderer for the notebook outputs).
 */
public final class VegaLite {
    private VegaLite() {}

    /** The MIME type JupyterLab renders Vega-Lite outputs under (a v5 renderer reads the specs built here). */
    public static final String MIME = "application/vnd.vegalite.v5+json";

    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    public enum Mark {
        BAR, LINE, POINT;

        public static Mark parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown chart '" + s + "': bar, line or point");
            }
        }
    }

    /**
     * One mark of {@code y} over {@code x}, split by {@code color} (nullable), with an interval from {@code low}
     * to {@code high} drawn as a rule when both are given. {@code x} is temporal when its values look like dates,
     * ordinal otherwise, kept in the order of the rows.
     */
    public static ObjectNode chart(ResultTable data, Mark mark, String x, String y, String color, String low,
                                   String high, String title) {
        data.columnIndex(x);
        data.columnIndex(y);
        ObjectNode spec = base(data, title);
        ArrayNode layer = spec.putArray("layer");
        ObjectNode main = layer.addObject();
        ObjectNode m = main.putObject("mark");
        m.put("type", mark.name().toLowerCase(java.util.Locale.ROOT));
        m.put("tooltip", true);
        if (mark == Mark.LINE) {
            m.put("point", true);
        }
        ObjectNode enc = main.putObject("encoding");
        enc.set("x", orderedX(data, x));
        ObjectNode yEnc = field(y, "quantitative");
        if (mark != Mark.BAR) {
            // Rates near 0.8 drawn from zero would all look alike.
            yEnc.putObject("scale").put("zero", false);
        }
        enc.set("y", yEnc);
        if (color != null) {
            data.columnIndex(color);
            enc.set("color", field(color, "nominal"));
            // Series side by side within each x, so intervals of one x do not hide each other.
            enc.set("xOffset", field(color, "nominal"));
        }
        if (low != null && high != null) {
            data.columnIndex(low);
            data.columnIndex(high);
            ObjectNode rule = layer.addObject();
            rule.put("mark", "rule");
            ObjectNode re = rule.putObject("encoding");
            re.set("x", orderedX(data, x));
            re.set("y", field(low, "quantitative").put("title", y));
            re.set("y2", JSON.objectNode().put("field", high));
            if (color != null) {
                re.set("color", field(color, "nominal"));
                re.set("xOffset", field(color, "nominal"));
            }
        }
        return spec;
    }

    static ObjectNode base(ResultTable data, String title) {
        ObjectNode spec = JSON.objectNode();
        if (title != null) {
            spec.put("title", title);
        }
        spec.put("width", "container");
        spec.put("height", 260);
        spec.putObject("data").set("values", data.values());
        return spec;
    }

    static ObjectNode field(String name, String type) {
        return JSON.objectNode().put("field", name).put("type", type);
    }

    /** An ordinal axis in the order the rows come in (a query's ORDER BY), rather than sorted by label. */
    static ObjectNode orderedX(ResultTable data, String x) {
        ObjectNode enc = field(x, "ordinal");
        ArrayNode order = enc.putArray("sort");
        data.column(x).stream().map(ResultTable::text).distinct().forEach(order::add);
        return enc;
    }

    /** A horizontal line at a fixed value (a target), labelled. */
    static ObjectNode targetRule(double value, String label) {
        ObjectNode rule = JSON.objectNode();
        ObjectNode mark = rule.putObject("mark").put("type", "rule").put("color", "#b00020");
        mark.putArray("strokeDash").add(4).add(4);
        ObjectNode enc = rule.putObject("encoding");
        enc.putObject("y").put("datum", value);
        enc.putObject("tooltip").put("value", label + ": " + ResultTable.text(value));
        return rule;
    }
}
