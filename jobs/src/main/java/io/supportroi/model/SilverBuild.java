package io.supportroi.model;

import io.supportroi.config.Settings;
import io.supportroi.ingest.LandingSource;
import io.supportroi.ops.Progress;
import io.supportroi.ops.TableRef;
import io.supportroi.ops.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bronze to the conformed silver tables. Each table is recomputed from bronze and MERGEd by key, so only rows that
 * really changed are written and a re-run over the same bronze commits nothing.
 */
public final class SilverBuild {
    private SilverBuild() {}

    /** Rows changed per silver table (inserted + updated + deleted), and rows now in the table. */
    public record TableResult(TableRef table, long changed, long rows) {}

    public static List<TableResult> run(Warehouse wh, Settings settings, String runId) {
        Dataset<Row> zendeskTickets = bronze(wh, LandingSource.ZENDESK_TICKETS);
        Dataset<Row> zendeskMetrics = bronze(wh, LandingSource.ZENDESK_TICKET_METRICS);
        Dataset<Row> zendeskUsers = bronze(wh, LandingSource.ZENDESK_USERS);
        Dataset<Row> shopifyOrders = bronze(wh, LandingSource.SHOPIFY_ORDERS);
        Dataset<Row> stripeEvents = bronze(wh, LandingSource.STRIPE_EVENTS);

        Dataset<Row> observations = CustomerIdentities.observations(zendeskUsers, zendeskTickets, shopifyOrders, stripeEvents,
                settings.identity());
        Dataset<Row> identities = CustomerIdentities.apply(observations).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Map<TableRef, Built> tables = new LinkedHashMap<>();
            tables.put(CustomerIdentities.TABLE, new Built(identities,
                    List.of(CustomerIdentities.SOURCE, CustomerIdentities.SOURCE_ID)));
            tables.put(Customers.TABLE, new Built(Customers.apply(observations, identities),
                    List.of(Customers.CUSTOMER_ID)));
            tables.put(Tickets.TABLE, new Built(Tickets.fromZendesk(zendeskTickets, zendeskMetrics, zendeskUsers,
                    identities, settings), List.of(Tickets.TICKET_ID)));
            tables.put(Orders.TABLE, new Built(Orders.fromShopify(shopifyOrders, identities, settings),
                    List.of(Orders.ORDER_ID)));
            tables.put(Subscriptions.TABLE, new Built(Subscriptions.fromStripe(stripeEvents, identities),
                    List.of(Subscriptions.SUBSCRIPTION_ID)));

            List<TableResult> results = new java.util.ArrayList<>();
            for (Map.Entry<TableRef, Built> e : tables.entrySet()) {
                long changed = wh.mergeByKey(e.getKey(), e.getValue().rows(), e.getValue().keys(), runId);
                long rows = wh.read(e.getKey()).count();
                Progress.line("silver", "%s: %d row(s), %d changed", e.getKey(), rows, changed);
                results.add(new TableResult(e.getKey(), changed, rows));
            }
            return results;
        } finally {
            identities.unpersist();
        }
    }

    private record Built(Dataset<Row> rows, List<String> keys) {}

    static Dataset<Row> bronze(Warehouse wh, LandingSource source) {
        return wh.readOrEmpty(source.bronze(), source.bronzeSchema());
    }
}
