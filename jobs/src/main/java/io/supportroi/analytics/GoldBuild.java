package io.supportroi.analytics;

import io.supportroi.analytics.pnl.PassiveChurnRecoveryMonthly;
import io.supportroi.analytics.pnl.SupportKpisMonthly;
import io.supportroi.analytics.pnl.SupportPnlMonthly;
import io.supportroi.analytics.pnl.UpsellCampaignMonthly;
import io.supportroi.config.Settings;
import io.supportroi.model.Agents;
import io.supportroi.model.Claims;
import io.supportroi.model.Costs;
import io.supportroi.model.OrderLines;
import io.supportroi.model.Products;
import io.supportroi.model.Refunds;
import io.supportroi.model.Orders;
import io.supportroi.model.RenewalAttempts;
import io.supportroi.model.Subscriptions;
import io.supportroi.model.Tickets;
import io.supportroi.ops.Progress;
import io.supportroi.ops.TableRef;
import io.supportroi.ops.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/** Silver to the gold tables, for one as-of date. Each table is rewritten only when its content changed. */
public final class GoldBuild {
    private GoldBuild() {}

    public record TableResult(TableRef table, long rows, boolean written) {}

    public record Result(LocalDate asOf, List<TableResult> tables) {}

    /** @param requestedAsOf null: the date of the latest event in silver */
    public static Result run(Warehouse wh, Settings settings, LocalDate requestedAsOf, String runId) {
        Dataset<Row> tickets = wh.read(Tickets.TABLE);
        Dataset<Row> orders = wh.read(Orders.TABLE);
        Dataset<Row> subscriptions = wh.read(Subscriptions.TABLE);
        LocalDate asOf = requestedAsOf != null ? requestedAsOf
                : AsOf.latestEventDate(tickets, orders, subscriptions);
        List<TableResult> results = new ArrayList<>();
        if (asOf == null) {
            Progress.line("gold", "silver is empty: nothing to compute");
            return new Result(null, results);
        }
        Dataset<Row> timeline = CustomerTimeline.apply(subscriptions, orders).persist(StorageLevel.MEMORY_AND_DISK());
        // Every table below starts from the same per-ticket outcomes: compute them once.
        Dataset<Row> outcomes = TicketOutcomes.apply(tickets, timeline, AsOf.endOfDay(asOf),
                settings.analytics().retentionHorizonDays()).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Dataset<Row> speed = ResolutionTimeVsRetention.apply(outcomes, asOf, settings.analytics())
                    .persist(StorageLevel.MEMORY_AND_DISK());
            try {
                results.add(publish(wh, ResolutionTimeVsRetention.TABLE, speed, runId));
                results.add(publish(wh, ResolutionTimeRetentionStats.TABLE,
                        ResolutionTimeRetentionStats.apply(outcomes, speed), runId));
            } finally {
                speed.unpersist();
            }
            results.add(publish(wh, ChannelVsLoyalty.TABLE, ChannelVsLoyalty.apply(tickets, outcomes, timeline,
                    AsOf.endOfDay(asOf), settings.analytics()), runId));
            results.add(publishAgentVsChurn(wh, settings, tickets, orders, subscriptions, asOf, runId));
        } finally {
            outcomes.unpersist();
            timeline.unpersist();
        }
        results.addAll(publishPnl(wh, settings, tickets, orders, asOf, runId));
        return new Result(asOf, results);
    }

    /** The support P&L and the tables that explain it: campaigns, passive churn recovery, KPIs. */
    private static List<TableResult> publishPnl(Warehouse wh, Settings settings, Dataset<Row> tickets,
                                                Dataset<Row> orders, LocalDate asOf, String runId) {
        Timestamp asOfEnd = AsOf.endOfDay(asOf);
        Dataset<Row> orderLines = wh.read(OrderLines.TABLE);
        Dataset<Row> products = wh.read(Products.TABLE);
        List<TableResult> results = new ArrayList<>();
        Dataset<Row> pnl = SupportPnlMonthly.apply(new SupportPnlMonthly.Inputs(orders, orderLines, products, tickets,
                        wh.read(Agents.TABLE), wh.read(Refunds.TABLE), wh.read(Claims.TABLE), wh.read(Costs.TABLE)),
                asOfEnd, settings).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            results.add(publish(wh, SupportPnlMonthly.TABLE, pnl, runId));
            results.add(publish(wh, SupportKpisMonthly.TABLE,
                    SupportKpisMonthly.apply(tickets, pnl, asOfEnd, settings.kpi()), runId));
        } finally {
            pnl.unpersist();
        }
        results.add(publish(wh, UpsellCampaignMonthly.TABLE,
                UpsellCampaignMonthly.apply(orders, orderLines, products, tickets, asOfEnd, settings), runId));
        results.add(publish(wh, PassiveChurnRecoveryMonthly.TABLE,
                PassiveChurnRecoveryMonthly.apply(wh.read(RenewalAttempts.TABLE), tickets, asOfEnd, settings), runId));
        return results;
    }

    private static TableResult publishAgentVsChurn(Warehouse wh, Settings settings, Dataset<Row> tickets,
                                                   Dataset<Row> orders, Dataset<Row> subscriptions, LocalDate asOf,
                                                   String runId) {
        Dataset<Row> failed = wh.read(RenewalAttempts.TABLE)
                .filter(col(RenewalAttempts.OUTCOME).equalTo(RenewalAttempts.FAILED))
                .select(col(RenewalAttempts.CUSTOMER_ID).as("customer_id"),
                        col(RenewalAttempts.ATTEMPTED_AT).as("attempted_at"));
        Dataset<Row> agents = wh.read(Agents.TABLE).select(
                col(Agents.AGENT_ID).as(AgentVsChurn.REF_AGENT_ID),
                col(Agents.NAME).as(AgentVsChurn.REF_AGENT_NAME),
                col(Agents.DISCOUNT_CODE).as(AgentVsChurn.REF_DISCOUNT_CODE));
        Dataset<Row> scored = AgentVsChurn.withExpectedChurn(AgentVsChurn.churnTickets(tickets, subscriptions, failed,
                AsOf.endOfDay(asOf), settings.analytics().churnWindowDays())).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            // Replacements shipped free are nobody's sale (the P&L counts them with refunds).
            Dataset<Row> sales = AgentVsChurn.salesRevenue(SupportPnlMonthly.withoutReplacements(orders,
                    settings.pnl().replacementOrderTags()), tickets, agents, settings.campaigns());
            return publish(wh, AgentVsChurn.TABLE, AgentVsChurn.apply(scored, tickets, agents, sales,
                    settings.analytics()), runId);
        } finally {
            scored.unpersist();
        }
    }

    private static TableResult publish(Warehouse wh, TableRef table, Dataset<Row> rows, String runId) {
        boolean written = wh.overwriteIfChanged(table, rows, runId);
        long n = rows.count();
        Progress.line("gold", "%s: %d row(s)%s", table, n, written ? "" : ", unchanged");
        return new TableResult(table, n, written);
    }
}
