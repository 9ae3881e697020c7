package io.supportroi.analytics;

import io.supportroi.config.Settings;
import io.supportroi.model.Orders;
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
        } finally {
            outcomes.unpersist();
            timeline.unpersist();
        }
        return new Result(asOf, results);
    }

    private static TableResult publish(Warehouse wh, TableRef table, Dataset<Row> rows, String runId) {
        boolean written = wh.overwriteIfChanged(table, rows, runId);
        long n = rows.count();
        Progress.line("gold", "%s: %d row(s)%s", table, n, written ? "" : ", unchanged");
        return new TableResult(table, n, written);
    }
}
