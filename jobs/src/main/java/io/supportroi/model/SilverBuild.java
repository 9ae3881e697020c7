package io.supportroi.model;

import io.supportroi.config.Settings;
import io.supportroi.ingest.LandingSource;
import io.supportroi.ops.CachedReads;
import io.supportroi.ops.FaultPoints;
import io.supportroi.ops.Parallel;
import io.supportroi.ops.Progress;
import io.supportroi.ops.SparkSessions;
import io.supportroi.ops.SparkWork;
import io.supportroi.ops.TableRef;
import io.supportroi.ops.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Bronze to the conformed silver tables. Each table is recomputed from bronze and MERGEd by key, so only rows that
 * really changed are written and a re-run over the same bronze commits nothing. Tables that depend on others
 * (refunds and claims on orders, agents on tickets) read them once they are merged, as the caller's reads of silver
 * do; on small data from a copy of the rows each table was just brought to.
 */
public final class SilverBuild {
    private SilverBuild() {}

    /** Rows changed per silver table (inserted + updated + deleted), and rows now in the table. */
    public record TableResult(TableRef table, long changed, long rows) {}

    /** What a silver build did: per table, and how many records could not be tied to a customer or an order. */
    public record Result(List<TableResult> tables, List<Unmatched.Count> unmatched) {}

    /** Every table a build writes, in build order. A warehouse missing any of them needs a build. */
    public static final List<TableRef> TABLES = List.of(CustomerIdentities.TABLE, Customers.TABLE, Tickets.TABLE,
            Orders.TABLE, OrderLines.TABLE, Refunds.TABLE, Subscriptions.TABLE, RenewalAttempts.TABLE, Agents.TABLE,
            Claims.TABLE, Products.TABLE, Costs.TABLE);

    /** Each table's key: what it is MERGEd by, and what the quality gates check for nulls and duplicates. */
    public static final Map<TableRef, List<String>> KEYS = Map.ofEntries(
            Map.entry(CustomerIdentities.TABLE, List.of(CustomerIdentities.SOURCE, CustomerIdentities.SOURCE_ID)),
            Map.entry(Customers.TABLE, List.of(Customers.CUSTOMER_ID)),
            Map.entry(Tickets.TABLE, List.of(Tickets.TICKET_ID)),
            Map.entry(Orders.TABLE, List.of(Orders.ORDER_ID)),
            Map.entry(OrderLines.TABLE, List.of(OrderLines.ORDER_ID, OrderLines.LINE_NUMBER)),
            Map.entry(Refunds.TABLE, List.of(Refunds.REFUND_ID)),
            Map.entry(Subscriptions.TABLE, List.of(Subscriptions.SUBSCRIPTION_ID)),
            Map.entry(RenewalAttempts.TABLE, RenewalAttempts.KEY),
            Map.entry(Agents.TABLE, List.of(Agents.AGENT_ID)),
            Map.entry(Claims.TABLE, List.of(Claims.CLAIM_ID)),
            Map.entry(Products.TABLE, List.of(Products.SKU)),
            Map.entry(Costs.TABLE, List.of(Costs.MONTH, Costs.ITEM)));

    /** Whether some silver table has never been written (a new warehouse, or one from before the table existed). */
    public static boolean anyMissing(Warehouse wh) {
        return TABLES.stream().anyMatch(t -> !wh.exists(t));
    }

    /** The tables only; {@link #build} also returns the unmatched counts. */
    public static List<TableResult> run(Warehouse wh, Settings settings, String runId) {
        return build(wh, settings, runId).tables();
    }

    public static Result build(Warehouse wh, Settings settings, String runId) {
        try (CachedReads silver = new CachedReads(wh)) {
            return build(wh, settings, runId, silver);
        }
    }

    /**
     * @param silverReads where the build reads the silver tables it merged (refunds and claims read orders, agents
     *                    tickets, the unmatched counts seven tables): each merged table's rows handed to it (small
     *                    data) or read once, and still held for whatever the caller reads of silver next (the
     *                    quality gates, gold)
     */
    public static Result build(Warehouse wh, Settings settings, String runId, CachedReads silverReads) {
        BronzeTables b = BronzeTables.read(wh, SparkSessions.isSmallData(wh.spark()));
        List<Dataset<Row>> cached = new ArrayList<>();
        List<TableResult> results = new ArrayList<>();
        try {
            Dataset<Row> observations = keep(cached, CustomerIdentities.observations(b, settings.identity()));
            Dataset<Row> identities = keep(cached, CustomerIdentities.apply(observations));
            Dataset<Row> stripeEvents = keep(cached,
                    Subscriptions.distinctEvents(b.get(LandingSource.STRIPE_EVENTS)));
            Dataset<Row> shopifyLatest = keep(cached, Orders.latestShopify(b.get(LandingSource.SHOPIFY_ORDERS)));
            Dataset<Row> csvOrderVersions = keep(cached, Orders.csvVersions(b.get(LandingSource.CSV_ORDERS)));

            results.add(merge(wh, silverReads, runId, CustomerIdentities.TABLE, () -> identities));
            // Tables of one phase depend only on bronze, identities and earlier phases: merged concurrently.
            results.addAll(Parallel.run(Parallel.TABLES_AT_ONCE, List.of(
                    () -> merge(wh, silverReads, runId, Customers.TABLE,
                            () -> Customers.apply(observations, identities)),
                    () -> merge(wh, silverReads, runId, Tickets.TABLE,
                            () -> Tickets.apply(b, identities, settings)),
                    () -> merge(wh, silverReads, runId, Orders.TABLE, () -> {
                        Dataset<Row> csvLines = OrderLines.fromCsv(csvOrderVersions);
                        return Orders.fromShopify(shopifyLatest, identities, settings)
                                .unionByName(Orders.fromCsv(csvOrderVersions, csvLines, identities, settings));
                    }),
                    () -> merge(wh, silverReads, runId, OrderLines.TABLE,
                            () -> OrderLines.fromShopify(shopifyLatest)
                                    .unionByName(OrderLines.fromCsv(csvOrderVersions))),
                    () -> merge(wh, silverReads, runId, Subscriptions.TABLE,
                            () -> Subscriptions.apply(b, stripeEvents, identities, settings)),
                    () -> merge(wh, silverReads, runId, RenewalAttempts.TABLE,
                            () -> RenewalAttempts.apply(b, stripeEvents, identities, settings)),
                    () -> merge(wh, silverReads, runId, Products.TABLE, () -> Products.apply(b)),
                    () -> merge(wh, silverReads, runId, Costs.TABLE, () -> Costs.apply(b))), "building silver"));
            // Refunds and claims are tied to merged orders, agents to merged tickets.
            silverReads.readAll(List.of(Orders.TABLE, Tickets.TABLE));
            Dataset<Row> orders = silverReads.read(Orders.TABLE);
            Dataset<Row> tickets = silverReads.read(Tickets.TABLE);
            results.addAll(Parallel.run(Parallel.TABLES_AT_ONCE, List.of(
                    () -> merge(wh, silverReads, runId, Refunds.TABLE,
                            () -> Refunds.fromShopify(shopifyLatest, orders)
                                    .unionByName(Refunds.fromCsv(csvOrderVersions, orders))
                                    .unionByName(Refunds.fromStripe(stripeEvents, identities))),
                    () -> merge(wh, silverReads, runId, Agents.TABLE, () -> Agents.apply(b, tickets, settings)),
                    () -> merge(wh, silverReads, runId, Claims.TABLE, () -> Claims.apply(b, orders, settings))),
                    "building silver"));
            results.sort(java.util.Comparator.comparingInt(r -> TABLES.indexOf(r.table())));
        } finally {
            cached.forEach(Dataset::unpersist);
            b.release();
        }
        List<Unmatched.Count> unmatched = unmatched(silverReads);
        for (Unmatched.Count c : unmatched) {
            if (c.unmatched() > 0) {
                Progress.line("silver", "%s from %s: %d of %d not tied to %s", c.table(), c.source(),
                        c.unmatched(), c.records(), Unmatched.ORDER.equals(c.tiedTo()) ? "an order" : "a customer");
            }
        }
        return new Result(results, unmatched);
    }

    /** Per silver table and source, the records not tied to a customer (or, for claims, an order). */
    public static List<Unmatched.Count> unmatched(CachedReads silver) {
        silver.readAll(List.of(Customers.TABLE, Tickets.TABLE, Orders.TABLE, Subscriptions.TABLE,
                RenewalAttempts.TABLE, Refunds.TABLE, Claims.TABLE));
        return Unmatched.collect(Unmatched.counts(silver.read(Customers.TABLE), silver.read(Tickets.TABLE),
                silver.read(Orders.TABLE), silver.read(Subscriptions.TABLE), silver.read(RenewalAttempts.TABLE),
                silver.read(Refunds.TABLE), silver.read(Claims.TABLE)));
    }

    /**
     * MERGE one table. The merge reads the built rows several times (the change count, then the MERGE itself), and
     * recomputing windows over all of bronze each time would dominate the run: at scale they are cached for the
     * duration. Once merged, the table holds exactly those rows, and on small data {@code silverReads} keeps a copy
     * of them for what reads the table next: that copy is also what the merge reads, filled by the first job over
     * it (a new table's write, an existing table's change count), so keeping it costs no job of its own.
     */
    private static TableResult merge(Warehouse wh, CachedReads silverReads, String runId, TableRef table,
                                     Supplier<Dataset<Row>> build) {
        var scoped = SparkWork.in(wh.spark(), table.qualified(), () -> {
            Dataset<Row> built = build.get();
            boolean small = SparkSessions.isSmallData(wh.spark());
            boolean ownCache = !small && built.storageLevel().equals(StorageLevel.NONE());
            Dataset<Row> rows = small ? CachedReads.detached(built)
                    : ownCache ? built.persist(StorageLevel.MEMORY_AND_DISK()) : built;
            try {
                boolean isNew = !wh.exists(table);
                long changed = wh.mergeByKey(table, rows, KEYS.get(table), runId);
                // The MERGE leaves the table equal to the built rows, which are cached: count those, unless the
                // table is new, when every row is a change and the merge counted them already.
                TableResult result = new TableResult(table, changed, isNew ? changed : rows.count());
                // On small data only: at scale a copy is no cheaper than the read it saves. A table whose columns
                // differ from the built rows' (written by an older version) is read back as it is.
                if (small) {
                    StructType stored = wh.schemaFromLog(table);
                    if (stored != null && Warehouse.sameSchema(stored, rows.schema())) {
                        silverReads.hold(table, rows);
                    }
                }
                return result;
            } finally {
                // A copy not held (a failed merge, an older schema) is small data; the context cleaner frees it.
                if (ownCache) {
                    rows.unpersist();
                }
            }
        });
        TableResult r = scoped.value();
        Progress.line("silver", "%s: %d row(s), %d changed (%s)", table, r.rows(), r.changed(), scoped.work());
        FaultPoints.reached(FaultPoints.silverMerged(table));
        return r;
    }

    private static Dataset<Row> keep(List<Dataset<Row>> cached, Dataset<Row> df) {
        Dataset<Row> p = df.persist(StorageLevel.MEMORY_AND_DISK());
        cached.add(p);
        return p;
    }
}
