package io.supportroi.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.supportroi.analytics.AgentVsChurn;
import io.supportroi.analytics.ChannelVsLoyalty;
import io.supportroi.analytics.ResolutionTimeVsRetention;
import io.supportroi.analytics.SpeedEffect;
import io.supportroi.analytics.staffing.StaffingScenarios;
import io.supportroi.analytics.pnl.SupportKpisMonthly;
import io.supportroi.analytics.pnl.SupportPnlMonthly;
import io.supportroi.config.BadInput;
import io.supportroi.config.Settings;
import io.supportroi.ops.TableRef;
import io.supportroi.ops.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;

/**
 * {@code supportroi report}: one self-contained HTML page from the gold tables, for people who will not run a
 * query. Charts are Vega-Lite with the libraries and the data inline, and a content security policy that forbids
 * every request, so the page works offline and cannot leak anything when opened.
 */
public final class Report {
    private Report() {}

    public static final String FILE = "index.html";
    /** More rows than any of the report's tables has in a normal business (months, buckets, channels, agents). */
    static final int MAX_ROWS = 200;

    /** One part of the page: a heading, a sentence on how to read it, a chart and the table it is drawn from. */
    public record Section(String id, String title, String reading, ObjectNode chart, ResultTable table) {}

    /** The report's content, before it becomes HTML. */
    public record Content(String headline, String detail, List<Section> sections) {}

    /** Writes {@code outDir/index.html} (replacing it whole) and returns its path. */
    public static Path write(Warehouse wh, Settings settings, Path outDir) throws IOException {
        Content content = content(wh, settings);
        Files.createDirectories(outDir);
        Path target = outDir.resolve(FILE);
        Path tmp = outDir.resolve("." + FILE + ".tmp");
        Files.writeString(tmp, html(content, wh.root(), Instant.now()), StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    public static Content content(Warehouse wh, Settings settings) {
        for (TableRef t : List.of(SupportPnlMonthly.TABLE, ResolutionTimeVsRetention.TABLE, ChannelVsLoyalty.TABLE,
                AgentVsChurn.TABLE, SupportKpisMonthly.TABLE, SpeedEffect.TABLE, StaffingScenarios.TABLE)) {
            if (!wh.exists(t)) {
                throw new BadInput("no table " + t + " in warehouse " + wh.root()
                        + ": run nightly first");
            }
        }
        ResultTable pnl = ResultTable.of(wh.read(SupportPnlMonthly.TABLE).orderBy(SupportPnlMonthly.MONTH_START)
                .select(SupportPnlMonthly.MONTH, SupportPnlMonthly.STAFF_COST, SupportPnlMonthly.PLATFORM_COST,
                        SupportPnlMonthly.REFUND_SHARE_COST, SupportPnlMonthly.UPSELL_REVENUE,
                        SupportPnlMonthly.WINBACK_REVENUE, SupportPnlMonthly.DISCOUNT_CODE_REVENUE,
                        SupportPnlMonthly.CLAIMS_RECOVERED, SupportPnlMonthly.COGS,
                        SupportPnlMonthly.SUPPORT_GROSS_PROFIT, SupportPnlMonthly.TOTAL_COST,
                        SupportPnlMonthly.NET_PROFIT, SupportPnlMonthly.IS_PROFIT_CENTER), MAX_ROWS);
        List<Section> sections = new ArrayList<>();
        sections.add(new Section("pnl", "The support P&L, month by month",
                "Bars: net profit (gross profit of the revenue support drove, less staff, platform and its share of "
                        + "refunds and replacements). Lines: that gross profit and the total cost.",
                pnlChart(pnl), pnl));
        sections.add(speed(wh, settings));
        sections.add(speedWorth(wh));
        sections.add(staffing(wh));
        sections.add(channels(wh));
        sections.add(agents(wh));
        sections.add(kpis(wh, settings));
        return new Content(headline(pnl), detail(pnl), sections);
    }

    /** "Support was a profit center in N of M months." */
    static String headline(ResultTable pnl) {
        List<Object> flags = pnl.column(SupportPnlMonthly.IS_PROFIT_CENTER);
        long profit = flags.stream().filter(Boolean.TRUE::equals).count();
        if (flags.isEmpty()) {
            return "No month of data yet.";
        }
        return "Support was a profit center in " + profit + " of " + flags.size() + " month"
                + (flags.size() == 1 ? "" : "s") + ".";
    }

    static String detail(ResultTable pnl) {
        java.math.BigDecimal net = pnl.column(SupportPnlMonthly.NET_PROFIT).stream()
                .map(v -> (java.math.BigDecimal) v).filter(java.util.Objects::nonNull)
                .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add);
        List<Object> months = pnl.column(SupportPnlMonthly.MONTH);
        if (months.isEmpty()) {
            return "";
        }
        return "Net profit of support from " + months.get(0) + " to " + months.get(months.size() - 1) + ": "
                + net.toPlainString() + ".";
    }

    private static ObjectNode pnlChart(ResultTable pnl) {
        ObjectNode spec = VegaLite.base(pnl, null);
        ArrayNode layer = spec.putArray("layer");
        ObjectNode bars = layer.addObject();
        bars.putObject("mark").put("type", "bar").put("tooltip", true);
        ObjectNode be = bars.putObject("encoding");
        be.set("x", VegaLite.orderedX(pnl, SupportPnlMonthly.MONTH));
        be.set("y", VegaLite.field(SupportPnlMonthly.NET_PROFIT, "quantitative").put("title", "amount"));
        ObjectNode color = be.putObject("color");
        color.putObject("condition").put("test", "datum." + SupportPnlMonthly.NET_PROFIT + " >= 0")
                .put("value", "#2e7d32");
        color.put("value", "#c62828");
        ObjectNode lines = layer.addObject();
        lines.putArray("transform").addObject()
                .<ObjectNode>set("fold", VegaLite.JSON.arrayNode().add(SupportPnlMonthly.SUPPORT_GROSS_PROFIT)
                        .add(SupportPnlMonthly.TOTAL_COST))
                .set("as", VegaLite.JSON.arrayNode().add("measure").add("amount"));
        lines.putObject("mark").put("type", "line").put("point", true).put("tooltip", true);
        ObjectNode le = lines.putObject("encoding");
        le.set("x", VegaLite.orderedX(pnl, SupportPnlMonthly.MONTH));
        le.set("y", VegaLite.field("amount", "quantitative"));
        le.set("color", VegaLite.field("measure", "nominal"));
        spec.putObject("resolve").putObject("scale").put("color", "independent");
        return spec;
    }

    private static Section speed(Warehouse wh, Settings settings) {
        ResultTable t = ResultTable.of(wh.read(ResolutionTimeVsRetention.TABLE)
                .orderBy(col(ResolutionTimeVsRetention.METRIC).desc(), col(ResolutionTimeVsRetention.BUCKET_ORDER))
                .select(ResolutionTimeVsRetention.METRIC, ResolutionTimeVsRetention.BUCKET,
                        ResolutionTimeVsRetention.TICKETS, ResolutionTimeVsRetention.CUSTOMERS,
                        ResolutionTimeVsRetention.RETENTION_RATE, ResolutionTimeVsRetention.CI_LOW,
                        ResolutionTimeVsRetention.CI_HIGH, ResolutionTimeVsRetention.LIFT_VS_FASTEST), MAX_ROWS);
        ObjectNode spec = VegaLite.chart(t, VegaLite.Mark.POINT, ResolutionTimeVsRetention.BUCKET,
                ResolutionTimeVsRetention.RETENTION_RATE, ResolutionTimeVsRetention.METRIC,
                ResolutionTimeVsRetention.CI_LOW, ResolutionTimeVsRetention.CI_HIGH, null);
        return new Section("speed", "Speed vs retention",
                "Share of customers still subscribed " + settings.analytics().retentionHorizonDays()
                        + " days after a ticket, by how long the ticket took (resolution) or waited for a first"
                        + " reply; the vertical rules are 95% Wilson intervals.", spec, t);
    }

    /** SPEC §8: what a doubling of time does to retention, estimated naively and through the routed agent. */
    private static Section speedWorth(Warehouse wh) {
        ResultTable t = ResultTable.of(wh.read(SpeedEffect.TABLE)
                .withColumn("estimate", concat_ws(" ", col(SpeedEffect.METRIC), col(SpeedEffect.METHOD)))
                .orderBy(col(SpeedEffect.METRIC).desc(), col(SpeedEffect.METHOD).desc())
                .select("estimate", SpeedEffect.METRIC, SpeedEffect.METHOD, SpeedEffect.EFFECT_PER_DOUBLING,
                        SpeedEffect.CI_LOW, SpeedEffect.CI_HIGH, SpeedEffect.N, SpeedEffect.FIRST_STAGE_F,
                        SpeedEffect.BALANCE_T, SpeedEffect.UNRELIABLE_INSTRUMENT), MAX_ROWS);
        ObjectNode spec = VegaLite.chart(t, VegaLite.Mark.POINT, "estimate", SpeedEffect.EFFECT_PER_DOUBLING,
                SpeedEffect.METHOD, SpeedEffect.CI_LOW, SpeedEffect.CI_HIGH, null);
        ((ArrayNode) spec.get("layer")).add(VegaLite.targetRule(0, "no effect"));
        return new Section("speed-worth", "What speed is worth",
                "Change in the retention rate when a ticket's time doubles. Naive: slow and fast tickets compared"
                        + " within channel and week, which also counts what makes slow tickets churn anyway (hard"
                        + " problems). Instrumented: only the part of the time that comes from which agent the ticket"
                        + " was routed to. A first-stage F below 10 or a |balance t| of 3 or more marks the"
                        + " instrumented estimate unreliable; then read neither as causal.", spec, t);
    }

    /** SPEC §8: 0..N more agents, priced through the instrumented effect. */
    private static Section staffing(Warehouse wh) {
        ResultTable t = ResultTable.of(wh.read(StaffingScenarios.TABLE).orderBy(StaffingScenarios.AGENTS_ADDED)
                .select(StaffingScenarios.AGENTS_ADDED, StaffingScenarios.ADDED_MONTHLY_COST,
                        StaffingScenarios.EXPECTED_MEDIAN_RESOLUTION_HOURS, StaffingScenarios.MEDIAN_RESOLUTION_CHANGE,
                        StaffingScenarios.EXPECTED_RETENTION_RATE,
                        StaffingScenarios.EXTRA_RETAINED_CUSTOMERS_PER_MONTH,
                        StaffingScenarios.EXTRA_GROSS_PROFIT_PER_MONTH, StaffingScenarios.NET_MONTHLY_ROI,
                        StaffingScenarios.PEAK_UTILISATION, StaffingScenarios.GROSS_PROFIT_IF_10PCT_FASTER,
                        StaffingScenarios.EFFECT_RELIABLE), MAX_ROWS);
        ObjectNode spec = VegaLite.chart(t, VegaLite.Mark.LINE, StaffingScenarios.AGENTS_ADDED,
                StaffingScenarios.NET_MONTHLY_ROI, null, null, null, null);
        ((ArrayNode) spec.get("layer")).add(VegaLite.targetRule(0, "break even"));
        return new Section("staffing", "What speed is worth: hiring",
                "Net monthly return of adding agents: the gross profit of the customers the faster resolution keeps"
                        + " (Erlang C queue model, instrumented speed effect, observed customer value) less the"
                        + " agents' cost. Above the line, hiring pays.", spec, t);
    }

    private static Section channels(Warehouse wh) {
        ResultTable t = ResultTable.of(wh.read(ChannelVsLoyalty.TABLE)
                .filter(col(ChannelVsLoyalty.CHANNEL).notEqual(ChannelVsLoyalty.ALL))
                .orderBy(col(ChannelVsLoyalty.RETENTION_RATE).desc_nulls_last(), col(ChannelVsLoyalty.CHANNEL))
                .select(ChannelVsLoyalty.CHANNEL, ChannelVsLoyalty.CUSTOMERS, ChannelVsLoyalty.TICKETS,
                        ChannelVsLoyalty.RETENTION_RATE, ChannelVsLoyalty.CI_LOW, ChannelVsLoyalty.CI_HIGH,
                        ChannelVsLoyalty.REPEAT_PURCHASE_RATE, ChannelVsLoyalty.CSAT,
                        ChannelVsLoyalty.MEDIAN_RESOLUTION_HOURS, ChannelVsLoyalty.CHI_SQUARE_P_VALUE), MAX_ROWS);
        ObjectNode spec = VegaLite.chart(t, VegaLite.Mark.POINT, ChannelVsLoyalty.CHANNEL,
                ChannelVsLoyalty.RETENTION_RATE, null, ChannelVsLoyalty.CI_LOW, ChannelVsLoyalty.CI_HIGH, null);
        return new Section("channels", "Channel vs loyalty",
                "Retention of the customers who wrote in through each channel, with 95% intervals; the chi-square"
                        + " p-value tests whether retention depends on the channel at all.", spec, t);
    }

    private static Section agents(Warehouse wh) {
        ResultTable t = ResultTable.of(wh.read(AgentVsChurn.TABLE)
                .orderBy(col(AgentVsChurn.EXCESS_CHURN).desc_nulls_last(), col(AgentVsChurn.AGENT_ID))
                .select(AgentVsChurn.AGENT_NAME, AgentVsChurn.CUSTOMERS, AgentVsChurn.CHURN_RATE,
                        AgentVsChurn.EXPECTED_CHURN_RATE, AgentVsChurn.EXCESS_CHURN, AgentVsChurn.CI_LOW,
                        AgentVsChurn.CI_HIGH, AgentVsChurn.CSAT, AgentVsChurn.SALES_REVENUE, AgentVsChurn.LOW_VOLUME),
                MAX_ROWS);
        ObjectNode spec = VegaLite.chart(t, VegaLite.Mark.POINT, AgentVsChurn.AGENT_NAME, AgentVsChurn.EXCESS_CHURN,
                null, AgentVsChurn.CI_LOW, AgentVsChurn.CI_HIGH, null);
        ((ArrayNode) spec.get("layer")).add(VegaLite.targetRule(0, "as expected"));
        return new Section("agents", "Agent scorecard",
                "Churn of each agent's customers above what their tenure, history and ticket topics predict, with"
                        + " 95% intervals: an interval wholly above zero is an agent to coach, not a hard caseload.",
                spec, t);
    }

    private static Section kpis(Warehouse wh, Settings settings) {
        Dataset<Row> rows = wh.read(SupportKpisMonthly.TABLE).orderBy(SupportKpisMonthly.MONTH_START);
        ResultTable t = ResultTable.of(rows.select(SupportKpisMonthly.MONTH, SupportKpisMonthly.TICKETS,
                SupportKpisMonthly.COST_PER_TICKET, SupportKpisMonthly.MEDIAN_FIRST_RESPONSE_SECONDS,
                SupportKpisMonthly.MEDIAN_RESOLUTION_HOURS, SupportKpisMonthly.MEDIAN_HANDLE_SECONDS,
                SupportKpisMonthly.CSAT, SupportKpisMonthly.RESOLUTION_RATE, SupportKpisMonthly.TARGETS_MET), MAX_ROWS);
        Settings.KpiSettings k = settings.kpi();
        ObjectNode spec = VegaLite.base(t, null);
        spec.remove("width");
        spec.remove("height");
        ArrayNode panels = spec.putArray("hconcat");
        panels.add(kpiPanel(t, SupportKpisMonthly.MEDIAN_FIRST_RESPONSE_SECONDS, k.maxMedianFirstResponseSeconds(),
                "target at most"));
        panels.add(kpiPanel(t, SupportKpisMonthly.CSAT, k.minCsat(), "target at least"));
        panels.add(kpiPanel(t, SupportKpisMonthly.RESOLUTION_RATE, k.minResolutionRate(), "target at least"));
        return new Section("kpis", "KPIs against targets",
                "Median first response, satisfaction and resolution rate per month; the dashed line is the target"
                        + " (configured under supportroi.kpi.targets).", spec, t);
    }

    private static ObjectNode kpiPanel(ResultTable t, String metric, double target, String label) {
        ObjectNode panel = VegaLite.JSON.objectNode();
        panel.put("width", 260).put("height", 200).put("title", metric);
        ArrayNode layer = panel.putArray("layer");
        ObjectNode line = layer.addObject();
        line.putObject("mark").put("type", "line").put("point", true).put("tooltip", true);
        ObjectNode enc = line.putObject("encoding");
        enc.set("x", VegaLite.orderedX(t, SupportKpisMonthly.MONTH));
        ObjectNode y = VegaLite.field(metric, "quantitative");
        y.putObject("scale").put("zero", false);
        enc.set("y", y);
        layer.add(VegaLite.targetRule(target, label));
        return panel;
    }

    /** The page. {@code generated} and the warehouse path are the only things in it not read from gold. */
    static String html(Content content, String warehouse, Instant generated) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                // Nothing may be fetched: the page is complete as it is, and opening it must not call out.
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                        + "script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Support ROI report</title>\n<style>\n").append(STYLE).append("</style>\n")
                .append(Html.chartLibraries())
                .append("</head>\n<body>\n<header>\n<h1>").append(Html.escape(content.headline())).append("</h1>\n<p>")
                .append(Html.escape(content.detail())).append("</p>\n<p class=\"note\">From the gold tables of ")
                .append(Html.escape(warehouse)).append(", ").append(generated.toString()).append(".</p>\n<nav>");
        for (Section s : content.sections()) {
            b.append("<a href=\"#").append(s.id()).append("\">").append(Html.escape(s.title())).append("</a> ");
        }
        b.append("</nav>\n</header>\n<main>\n");
        for (Section s : content.sections()) {
            b.append("<section id=\"").append(s.id()).append("\">\n<h2>").append(Html.escape(s.title()))
                    .append("</h2>\n<p>").append(Html.escape(s.reading())).append("</p>\n")
                    .append("<div class=\"chart\" id=\"chart-").append(s.id()).append("\"></div>\n")
                    .append("<script type=\"application/json\" data-chart=\"chart-").append(s.id()).append("\">")
                    .append(Html.scriptJson(s.chart())).append("</script>\n")
                    .append("<details open><summary>Table</summary>\n").append(s.table().html())
                    .append("</details>\n</section>\n");
        }
        b.append("</main>\n<script>\n").append(RENDER).append("</script>\n</body>\n</html>\n");
        return b.toString();
    }

    /** Renders every chart; {@code window.reportRendered} settles when all have (a test waits on it). */
    private static final String RENDER = """
            window.reportRendered = Promise.all(Array.from(document.querySelectorAll('script[data-chart]'), s =>
              vegaEmbed('#' + s.dataset.chart, JSON.parse(s.textContent),
                        {actions: false, renderer: 'svg', mode: 'vega-lite'})))
              .then(() => { document.body.dataset.rendered = 'true'; });
            """;

    private static final String STYLE = """
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto;
                   max-width: 1100px; padding: 1rem 2rem; color: #1d1d1f; }
            header h1 { font-size: 1.9rem; margin-bottom: .3rem; }
            nav a { margin-right: 1rem; }
            section { margin: 2.5rem 0; }
            .chart { width: 100%; min-height: 120px; }
            table.result { border-collapse: collapse; font-size: .85rem; margin-top: .5rem; }
            table.result th, table.result td { border-bottom: 1px solid #ddd; padding: .25rem .6rem; text-align: left; }
            table.result td.num { text-align: right; font-variant-numeric: tabular-nums; }
            .scroll { overflow-x: auto; }
            .note { color: #666; font-size: .85rem; }
            """;
}
