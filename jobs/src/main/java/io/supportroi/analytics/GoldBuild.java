package io.supportroi.analytics;

import io.supportroi.analytics.pnl.PassiveChurnRecoveryMonthly;
import io.supportroi.analytics.pnl.PnlTables;
import io.supportroi.analytics.pnl.ShopCurrency;
import io.supportroi.analytics.pnl.SupportAttribution;
import io.supportroi.analytics.pnl.SupportKpisMonthly;
import io.supportroi.analytics.pnl.SupportPnlMonthly;
import io.supportroi.analytics.pnl.UpsellCampaignMonthly;
import io.supportroi.analytics.staffing.StaffingScenarios;
import io.supportroi.analytics.worklists.TicketPriorityQueue;
import io.supportroi.analytics.worklists.TopCustomersByOpenTickets;
import io.supportroi.analytics.worklists.UpsellWorklist;
import io.supportroi.analytics.worklists.WinbackWorklist;
import io.supportroi.analytics.worklists.Worklists;
import io.supportroi.config.Settings;
import io.supportroi.model.Agents;
import io.supportroi.model.Customers;
import io.supportroi.model.Orders;
import io.supportroi.model.Refunds;
import io.supportroi.model.RenewalAttempts;
import io.supportroi.model.Subscriptions;
import io.supportroi.model.Tickets;
import io.supportroi.ops.CachedReads;
import io.supportroi.ops.FaultPoints;
import io.supportroi.ops.Parallel;
import io.supportroi.ops.Progress;
import io.supportroi.ops.SparkWork;
import io.supportroi.ops.TableRef;
import io.supportroi.ops.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.upper;

/**
 * Silver to the gold tables, for one as-of date. Every table is computed (and held in memory) before any is
 * published, so a failure while computing leaves all of gold at its last good version; publication is then one
 * short commit per table, and only for the tables whose content changed.
 */
public final class GoldBuild {
    private GoldBuild() {}

    public record TableResult(TableRef table, long rows, boolean written) {}

    /** Every gold table, in the order a run publishes and reports them. */
    public static final List<TableRef> TABLES = List.of(ResolutionTimeVsRetention.TABLE,
            ResolutionTimeRetentionStats.TABLE, ChannelVsLoyalty.TABLE, AgentVsChurn.TABLE, SpeedEffect.TABLE,
            SupportPnlMonthly.TABLE, SupportKpisMonthly.TABLE, UpsellCampaignMonthly.TABLE,
            PassiveChurnRecoveryMonthly.TABLE, StaffingScenarios.TABLE, WinbackWorklist.TABLE, UpsellWorklist.TABLE,
            TicketPriorityQueue.TABLE, TopCustomersByOpenTickets.TABLE);

    public record Result(LocalDate asOf, List<TableResult> tables) {}

    /** @param requestedAsOf null: the date of the latest event in silver */
    public static Result run(Warehouse wh, Settings settings, LocalDate requestedAsOf, String runId) {
        return run(wh, settings, requestedAsOf, runId, () -> { });
    }

    /** @param beforePublish runs when every table is computed, before the first is published */
    public static Result run(Warehouse wh, Settings settings, LocalDate requestedAsOf, String runId,
                             Runnable beforePublish) {
        try (CachedReads silver = new CachedReads(wh)) {
            return run(wh, silver, settings, requestedAsOf, runId, beforePublish);
        }
    }

    /** @param silver silver's tables as this run reads them (cached: gold reads each many times) */
    public static Result run(Warehouse wh, CachedReads silver, Settings settings, LocalDate requestedAsOf,
                             String runId, Runnable beforePublish) {
        try (Staging staging = new Staging()) {
            Dataset<Row> tickets = silver.read(Tickets.TABLE);
            Dataset<Row> orders = silver.read(Orders.TABLE);
            Dataset<Row> subscriptions = silver.read(Subscriptions.TABLE);
            LocalDate asOf = requestedAsOf != null ? requestedAsOf
                    : AsOf.latestEventDate(tickets, orders, subscriptions);
            if (asOf == null) {
                Progress.line("gold", "silver is empty: nothing to compute");
                return new Result(null, List.of());
            }
            compute(silver, settings, asOf, tickets, orders, subscriptions, staging);
            staging.materialize();
            beforePublish.run();
            return new Result(asOf, staging.publish(wh, runId, asOf, settings.exports().gold(),
                    settings.privacy().key()));
        }
    }

    private static void compute(CachedReads silver, Settings settings, LocalDate asOf, Dataset<Row> tickets,
                                Dataset<Row> orders, Dataset<Row> subscriptions, Staging staging) {
        // Every order counts for retention and loyalty; only those in the shop's currency count as money.
        String currency = settings.pnl().currency();
        Dataset<Row> shopOrders = ShopCurrency.only(orders, Orders.CURRENCY, currency);
        Dataset<Row> timeline = staging.shared(CustomerTimeline.apply(subscriptions, orders));
        // Every table below starts from the same per-ticket outcomes: compute them once.
        Dataset<Row> outcomes = staging.shared(TicketOutcomes.apply(tickets, timeline, AsOf.endOfDay(asOf),
                settings.analytics().retentionHorizonDays()));
        // The orders support drove, for the P&L family and the agents' sales: attributed once.
        SupportAttribution.Attributed attributed = PnlTables.attribute(silver::read, tickets, shopOrders, settings,
                staging::shared);
        // Three independent chains, side by side: each is the driver analysing plans and a few small jobs that
        // wait on each other, latency more than work on small data.
        List<Object> parts = Parallel.run(Parallel.TABLES_AT_ONCE, List.<Callable<Object>>of(
                () -> {
                    reportOtherCurrencies(silver, orders, currency);
                    // Staged tables stay cached until published: the stats read the staged buckets, not a copy.
                    Dataset<Row> speed = staging.add(ResolutionTimeVsRetention.TABLE,
                            ResolutionTimeVsRetention.apply(outcomes, asOf, settings.analytics()));
                    staging.add(ResolutionTimeRetentionStats.TABLE,
                            ResolutionTimeRetentionStats.apply(outcomes, speed));
                    staging.add(ChannelVsLoyalty.TABLE, ChannelVsLoyalty.apply(tickets, outcomes, timeline,
                            AsOf.endOfDay(asOf), settings.analytics()));
                    return null;
                },
                () -> agentVsChurn(silver, settings, tickets, attributed, subscriptions, outcomes, asOf, staging),
                () -> PnlTables.stage(silver::read, tickets, shopOrders, attributed, AsOf.endOfDay(asOf), settings,
                        staging::add)),
                "computing gold");
        AgentVsChurn.ChurnFit churn = (AgentVsChurn.ChurnFit) parts.get(1);
        Dataset<Row> pnl = castRows(parts.get(2));
        Parallel.run(Parallel.TABLES_AT_ONCE, List.<Callable<Object>>of(
                () -> {
                    staffing(settings, tickets, outcomes, pnl, asOf, staging);
                    return null;
                },
                () -> {
                    worklists(silver, settings, tickets, shopOrders, subscriptions, asOf, staging, churn);
                    return null;
                }),
                "computing gold");
    }

    @SuppressWarnings("unchecked")
    private static Dataset<Row> castRows(Object rows) {
        return (Dataset<Row>) rows;
    }

    /** A line per run when money in other currencies was kept out of gold's totals, so it is never unnoticed. */
    private static void reportOtherCurrencies(CachedReads silver, Dataset<Row> orders, String currency) {
        List<Row> others = ShopCurrency.others(orders, Orders.CURRENCY, currency)
                .select(upper(col(Orders.CURRENCY)).as("c")).unionByName(
                        ShopCurrency.others(silver.read(Refunds.TABLE), Refunds.CURRENCY, currency)
                                .select(upper(col(Refunds.CURRENCY)).as("c")))
                .unionByName(ShopCurrency.others(silver.read(RenewalAttempts.TABLE), RenewalAttempts.CURRENCY, currency)
                        .select(upper(col(RenewalAttempts.CURRENCY)).as("c")))
                .groupBy("c").count().transform(Bounded.sortedBy(col("c"))).collectAsList();
        if (!others.isEmpty()) {
            Progress.line("gold", "kept out of money totals (not %s): %s", currency, String.join(", ",
                    others.stream().map(r -> r.getLong(1) + " record(s) in " + r.getString(0)).toList()));
        }
    }

    /**
     * gold.staffing_scenarios, from the staged speed effect (its instrumented resolution-time row) and the P&L's
     * gross margin on the revenue support drove.
     */
    private static void staffing(Settings settings, Dataset<Row> tickets, Dataset<Row> outcomes, Dataset<Row> pnl,
                                 LocalDate asOf, Staging staging) {
        Row speed = staging.rows(SpeedEffect.TABLE)
                .filter(col(SpeedEffect.METRIC).equalTo(SpeedEffect.RESOLUTION_TIME)
                        .and(col(SpeedEffect.METHOD).equalTo(SpeedEffect.INSTRUMENTED)))
                .select(SpeedEffect.EFFECT_PER_DOUBLING, SpeedEffect.UNRELIABLE_INSTRUMENT).head();
        StaffingScenarios.Effect effect = new StaffingScenarios.Effect(
                speed.isNullAt(0) ? null : speed.getDouble(0), !speed.isNullAt(1) && !speed.getBoolean(1));
        Row money = pnl.agg(
                sum(col(SupportPnlMonthly.UPSELL_REVENUE).plus(col(SupportPnlMonthly.WINBACK_REVENUE))
                        .plus(col(SupportPnlMonthly.DISCOUNT_CODE_REVENUE))).cast("double"),
                sum(col(SupportPnlMonthly.COGS)).cast("double")).head();
        Double margin = money.isNullAt(0) || money.getDouble(0) <= 0 ? null
                : 1 - (money.isNullAt(1) ? 0.0 : money.getDouble(1)) / money.getDouble(0);
        SparkSession spark = tickets.sparkSession();
        staging.add(StaffingScenarios.TABLE, spark, () -> StaffingScenarios.apply(spark, tickets, outcomes,
                effect, margin, AsOf.endOfDay(asOf), settings.decisions()));
    }

    /**
     * Stages agent_vs_churn, and speed_effect, whose balance check reads the same churn model's expectation before
     * each ticket; returns the churn model, which the ticket priority queue scores open tickets with.
     */
    private static AgentVsChurn.ChurnFit agentVsChurn(CachedReads silver, Settings settings, Dataset<Row> tickets,
                                                      SupportAttribution.Attributed attributed,
                                                      Dataset<Row> subscriptions,
                                                      Dataset<Row> outcomes, LocalDate asOf, Staging staging) {
        Dataset<Row> failed = AgentVsChurn.failedPayments(silver.read(RenewalAttempts.TABLE));
        Dataset<Row> agents = AgentVsChurn.reference(silver.read(Agents.TABLE));
        Dataset<Row> churnTickets = staging.shared(AgentVsChurn.churnTickets(tickets, subscriptions, failed,
                AsOf.endOfDay(asOf), settings.analytics().churnWindowDays()));
        AgentVsChurn.ChurnFit fit = AgentVsChurn.fitChurn(churnTickets);
        Dataset<Row> scored = staging.shared(AgentVsChurn.withExpectedChurn(churnTickets, fit));
        // Replacements shipped free are nobody's sale (the P&L counts them with refunds): attributed without them.
        Dataset<Row> sales = AgentVsChurn.salesRevenue(attributed.orders());
        Dataset<Row> agentChurn = staging.add(AgentVsChurn.TABLE,
                AgentVsChurn.apply(scored, tickets, agents, sales, settings.analytics()));
        // One row per agent: bounded by the team.
        List<String> leftOut = agentChurn.filter(col(AgentVsChurn.CI_LOW).gt(0)
                        .and(col(AgentVsChurn.LOW_VOLUME).equalTo(false)))
                .select(AgentVsChurn.AGENT_ID).as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        Dataset<Row> risk = scored.select(col(Tickets.TICKET_ID).as("_risk_ticket"),
                col(AgentVsChurn.EXPECTED).as(SpeedEffect.PRE_TICKET_RISK));
        Dataset<Row> withRisk = outcomes.join(risk, col(Tickets.TICKET_ID).equalTo(col("_risk_ticket")), "left")
                .drop("_risk_ticket");
        SparkSession spark = tickets.sparkSession();
        staging.add(SpeedEffect.TABLE, spark, () -> SpeedEffect.apply(spark, withRisk, leftOut,
                settings.decisions().confidence(), settings.decisions().bootstrapSeed()));
        return fit;
    }

    /**
     * Gold tables computed and held (cached and counted) until every one of them is ready. Caching also means each
     * table's lineage runs once, not once for the comparison, once for the write, once for the count and once per
     * export. Tables are declared first and computed together ({@link #materialize}), a few at a time: on small
     * data each is a few jobs of latency, not of work.
     */
    private static final class Staging implements AutoCloseable {
        /** A table's rows, declared; {@code seconds}: time spent before it was declared (its own jobs). */
        private record Declared(TableRef table, Dataset<Row> rows, List<String> exportOrder, SparkWork.Count work,
                                double seconds) {}

        /** A declared table once computed: its row count, and its work and time including the computation. */
        private record Computed(Declared table, long count, SparkWork.Count work, double seconds) {}

        /** Added to by the chains of {@link #compute} side by side; in {@link #TABLES}' order once materialized. */
        private final List<Declared> declared = Collections.synchronizedList(new ArrayList<>());
        /** Empty until {@link #materialize}, then one per declared table, in the same order. */
        private final List<Computed> computed = new ArrayList<>();
        /**
         * Bases several tables read (outcomes, timeline, the attribution, churn scores), held until every table is
         * computed.
         */
        private final List<Dataset<Row>> shared = Collections.synchronizedList(new ArrayList<>());
        private static final int EXPORT_THREADS = 4;

        /** {@code rows}, cached until the staging closes: several tables read it. */
        Dataset<Row> shared(Dataset<Row> rows) {
            Dataset<Row> held = rows.persist(StorageLevel.MEMORY_AND_DISK());
            shared.add(held);
            return held;
        }

        /** The rows staged for {@code table}. */
        Dataset<Row> rows(TableRef table) {
            synchronized (declared) {
                return declared.stream().filter(s -> s.table().equals(table)).findFirst()
                        .orElseThrow(() -> new IllegalStateException(table + " is not staged")).rows();
            }
        }

        /** Returns the staged, cached rows, which stay cached until the staging is closed. */
        Dataset<Row> add(TableRef table, Dataset<Row> rows) {
            return add(table, rows, List.of());
        }

        /** For a table whose computation runs jobs before it returns (a bounded collect): timed from the start. */
        Dataset<Row> add(TableRef table, SparkSession spark, java.util.function.Supplier<Dataset<Row>> rows) {
            long started = System.nanoTime();
            var computed = SparkWork.in(spark, table.qualified(), rows);
            return add(table, computed.value(), List.of(), computed.work(), (System.nanoTime() - started) / 1e9);
        }

        /** @param exportOrder the CSV export's row order; empty: every column, left to right */
        Dataset<Row> add(TableRef table, Dataset<Row> rows, List<String> exportOrder) {
            return add(table, rows, exportOrder, SparkWork.Count.ZERO, 0);
        }

        private Dataset<Row> add(TableRef table, Dataset<Row> rows, List<String> exportOrder, SparkWork.Count before,
                                 double seconds) {
            Dataset<Row> held = rows.persist(StorageLevel.MEMORY_AND_DISK());
            declared.add(new Declared(table, held, exportOrder.isEmpty() ? List.of(held.columns()) : exportOrder,
                    before, seconds));
            return held;
        }

        /** Computes and counts every staged table, a few at a time; a table already read is counted from its cache. */
        void materialize() {
            declared.forEach(d -> {
                if (!TABLES.contains(d.table())) {
                    throw new IllegalStateException(d.table() + " is staged but not in GoldBuild.TABLES");
                }
            });
            declared.sort(Comparator.comparingInt(d -> TABLES.indexOf(d.table())));
            computed.clear();
            computed.addAll(Parallel.run(Parallel.TABLES_AT_ONCE, declared.stream()
                    .<java.util.concurrent.Callable<Computed>>map(d -> () -> {
                        long started = System.nanoTime();
                        var c = SparkWork.in(d.rows().sparkSession(), d.table().qualified(), d.rows()::count);
                        double seconds = d.seconds() + (System.nanoTime() - started) / 1e9;
                        Progress.line("gold", "%s computed in %.1f s", d.table(), seconds);
                        return new Computed(d, c.value(), d.work().plus(c.work()), seconds);
                    }).toList(), "computing gold"));
        }

        /**
         * Publishes every changed table, then exports every table (changed or not: the folder of each night is
         * complete on its own) once all are published, so an export never shows a table gold does not hold.
         */
        List<TableResult> publish(Warehouse wh, String runId, LocalDate asOf, boolean export,
                                  java.util.Optional<byte[]> hashKey) {
            if (computed.size() != declared.size()) {
                throw new IllegalStateException("gold tables are published once computed (materialize)");
            }
            List<TableResult> results = new ArrayList<>();
            // Each table is its own commit, independent of the others, and on small data mostly latency (log
            // listing, commit, checksum): a few at a time.
            List<SparkWork.Scoped<Boolean>> published = Parallel.run(Parallel.TABLES_AT_ONCE, declared.stream()
                    .<java.util.concurrent.Callable<SparkWork.Scoped<Boolean>>>map(s -> () -> {
                        var p = SparkWork.in(wh.spark(), s.table().qualified(),
                                () -> wh.overwriteIfChanged(s.table(), s.rows(), runId));
                        FaultPoints.reached(FaultPoints.goldPublished(s.table()));
                        return p;
                    }).toList(), "publishing gold");
            for (int i = 0; i < computed.size(); i++) {
                Computed c = computed.get(i);
                boolean written = published.get(i).value();
                Progress.line("gold", "%s: %d row(s)%s (%s)", c.table().table(), c.count(),
                        written ? "" : ", unchanged", c.work().plus(published.get(i).work()));
                results.add(new TableResult(c.table().table(), c.count(), written));
            }
            if (export) {
                long started = System.nanoTime();
                // Each export is a small job whose time is mostly scheduling, commit and file-system round trips
                // (object stores especially): a few at a time keep the cores busy.
                List<java.util.concurrent.Callable<Object>> writes = new ArrayList<>();
                boolean customersLeftOut = false;
                for (Declared s : declared) {
                    GoldExports.ForAnalysts e = GoldExports.forAnalysts(s.rows(), s.exportOrder(), hashKey);
                    customersLeftOut |= e.customerLeftOut();
                    writes.add(() -> {
                        GoldExports.write(wh, asOf, s.table(), e.rows(), e.order());
                        return null;
                    });
                    writes.add(() -> {
                        GoldExports.writeParquet(wh, asOf, s.table(), e.rows());
                        return null;
                    });
                }
                if (customersLeftOut) {
                    Progress.line("gold", "%s is not set: exports carry no customer column (see README, Privacy)",
                            Settings.ENV_HASH_KEY);
                }
                Parallel.run(EXPORT_THREADS, writes, "exporting gold");
                Progress.line("gold", "%d table(s) exported as CSV and Parquet to %s in %.1f s", declared.size(),
                        GoldExports.folder(wh.root(), asOf), (System.nanoTime() - started) / 1e9);
            }
            return results;
        }

        @Override
        public void close() {
            declared.forEach(s -> s.rows().unpersist());
            shared.forEach(Dataset::unpersist);
        }
    }

    /** The worklists (SPEC §5); their CSV exports keep the order support works them in. */
    private static void worklists(CachedReads silver, Settings settings, Dataset<Row> tickets, Dataset<Row> orders,
                                  Dataset<Row> subscriptions, LocalDate asOf, Staging staging,
                                  AgentVsChurn.ChurnFit churn) {
        var inputs = new Worklists.Inputs(tickets, orders, subscriptions, silver.read(RenewalAttempts.TABLE),
                silver.read(Customers.TABLE));
        for (Worklists.Worklist list : Worklists.apply(inputs, AsOf.endOfDay(asOf), settings, churn)) {
            staging.add(list.table(), list.rows(), list.exportOrder());
        }
    }
}
