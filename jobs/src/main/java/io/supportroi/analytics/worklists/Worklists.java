package io.supportroi.analytics.worklists;

import io.supportroi.analytics.AgentVsChurn;
import io.supportroi.config.Settings;
import io.supportroi.model.RenewalAttempts;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.sql.Timestamp;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/** The four lists support acts on the next morning (SPEC §5), from silver, for one as-of date. */
public final class Worklists {
    private Worklists() {}

    /** One list: its gold table, the order its CSV export is written in, its rows. */
    public record Worklist(TableRef table, List<String> exportOrder, Dataset<Row> rows) {}

    /** The silver tables the lists read. */
    public record Inputs(Dataset<Row> tickets, Dataset<Row> orders, Dataset<Row> subscriptions,
                         Dataset<Row> renewalAttempts, Dataset<Row> customers) {}

    /**
     * The caller persists each list while it publishes and exports it. Not all lazy: the churn model behind the
     * priority queue is fitted here, and numbering the two ranked lists runs a small job each.
     */
    public static List<Worklist> apply(Inputs in, Timestamp asOfEnd, Settings settings) {
        return apply(in, asOfEnd, settings, null);
    }

    /** @param churn the churn model agent_vs_churn fitted for this as-of; null: fit it here */
    public static List<Worklist> apply(Inputs in, Timestamp asOfEnd, Settings settings, AgentVsChurn.ChurnFit churn) {
        Settings.WorklistSettings ws = settings.worklists();
        Dataset<Row> value = CustomerValue.apply(in.orders(), asOfEnd, ws.valueWindowDays());
        Dataset<Row> failed = in.renewalAttempts()
                .filter(col(RenewalAttempts.OUTCOME).equalTo(RenewalAttempts.FAILED))
                .select(col(RenewalAttempts.CUSTOMER_ID).as(ChurnRisk.FAILED_CUSTOMER_ID),
                        col(RenewalAttempts.ATTEMPTED_AT).as(ChurnRisk.FAILED_ATTEMPTED_AT));
        AgentVsChurn.ChurnFit fit = churn != null ? churn : AgentVsChurn.fitChurn(AgentVsChurn.churnTickets(
                in.tickets(), in.subscriptions(), failed, asOfEnd, settings.analytics().churnWindowDays()));
        Dataset<Row> risk = ChurnRisk.apply(OpenTickets.asOf(in.tickets(), asOfEnd), in.tickets(), in.subscriptions(),
                failed, fit);
        return List.of(
                new Worklist(WinbackWorklist.TABLE, WinbackWorklist.EXPORT_ORDER,
                        WinbackWorklist.apply(in.renewalAttempts(), in.subscriptions(), in.tickets(), in.customers(),
                                value, asOfEnd, settings.campaigns())),
                new Worklist(UpsellWorklist.TABLE, UpsellWorklist.EXPORT_ORDER,
                        UpsellWorklist.apply(in.subscriptions(), in.tickets(), in.customers(), value, asOfEnd, ws)),
                new Worklist(TicketPriorityQueue.TABLE, TicketPriorityQueue.EXPORT_ORDER,
                        TicketPriorityQueue.apply(in.tickets(), risk, value, asOfEnd)),
                new Worklist(TopCustomersByOpenTickets.TABLE, TopCustomersByOpenTickets.EXPORT_ORDER,
                        TopCustomersByOpenTickets.apply(in.tickets(), value, asOfEnd, ws.topCustomers())));
    }
}
