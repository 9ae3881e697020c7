package io.supportroi.analytics;

import io.supportroi.analytics.worklists.WorklistExports;
import io.supportroi.analytics.worklists.Worklists;
import io.supportroi.config.Settings;
import io.supportroi.model.Agents;
import io.supportroi.model.Customers;
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
        results.addAll(publishWorklists(wh, settings, tickets, orders, subscriptions, asOf, runId));
        return new Result(asOf, results);
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
            Dataset<Row> sales = AgentVsChurn.salesRevenue(orders, tickets, agents, settings.campaigns());
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

    /** The worklists (SPEC §5), each also exported as CSV under {@code ${warehouse}/exports/<as-of>/}. */
    private static List<TableResult> publishWorklists(Warehouse wh, Settings settings, Dataset<Row> tickets,
                                                      Dataset<Row> orders, Dataset<Row> subscriptions, LocalDate asOf,
                                                      String runId) {
        List<TableResult> results = new ArrayList<>();
        var inputs = new Worklists.Inputs(tickets, orders, subscriptions, wh.read(RenewalAttempts.TABLE),
                wh.read(Customers.TABLE));
        for (Worklists.Worklist list : Worklists.apply(inputs, AsOf.endOfDay(asOf), settings)) {
            Dataset<Row> rows = list.rows().persist(StorageLevel.MEMORY_AND_DISK());
            try {
                results.add(publish(wh, list.table(), rows, runId));
                // Exported every run, changed or not: the folder of each night is complete on its own.
                WorklistExports.write(wh, asOf, list.table(), rows, list.exportOrder());
            } finally {
                rows.unpersist();
            }
        }
        return results;
    }
}
