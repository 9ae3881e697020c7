package io.supportroi.bench;

import io.supportroi.analytics.AgentVsChurn;
import io.supportroi.analytics.AsOf;
import io.supportroi.analytics.ChannelVsLoyalty;
import io.supportroi.analytics.CustomerTimeline;
import io.supportroi.analytics.ResolutionTimeVsRetention;
import io.supportroi.analytics.TicketOutcomes;
import io.supportroi.analytics.pnl.PassiveChurnRecoveryMonthly;
import io.supportroi.analytics.pnl.PnlTables;
import io.supportroi.analytics.pnl.ShopCurrency;
import io.supportroi.analytics.pnl.SupportAttribution;
import io.supportroi.analytics.pnl.SupportKpisMonthly;
import io.supportroi.analytics.pnl.SupportPnlMonthly;
import io.supportroi.analytics.pnl.UpsellCampaignMonthly;
import io.supportroi.config.Settings;
import io.supportroi.model.Agents;
import io.supportroi.model.Claims;
import io.supportroi.model.Costs;
import io.supportroi.model.OrderLines;
import io.supportroi.model.Orders;
import io.supportroi.model.Products;
import io.supportroi.model.Refunds;
import io.supportroi.model.RenewalAttempts;
import io.supportroi.model.Subscriptions;
import io.supportroi.model.Tickets;
import io.supportroi.ops.CachedReads;
import io.supportroi.ops.TableRef;
import io.supportroi.ops.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gold tables both engines compute, from one silver snapshot: Spark through the product's own jobs, DuckDB
 * through {@link DuckDbGold}'s SQL over that snapshot's Parquet files. Also checks that the two engines see the same
 * silver rows, since a Parquet file of a Delta table can hold rows a later version deleted.
 */
public final class GoldComparison {
    private GoldComparison() {}

    /**
     * A compared table, the columns that identify its rows, and the columns compared (empty: all of them).
     */
    public record Compared(TableRef table, List<String> keys, List<String> columns) {
        Compared(TableRef table, List<String> keys) {
            this(table, keys, List.of());
        }

        List<Map<String, Object>> project(List<Map<String, Object>> rows) {
            if (columns.isEmpty()) {
                return rows;
            }
            return rows.stream().map(r -> {
                Map<String, Object> out = new LinkedHashMap<>();
                columns.forEach(c -> out.put(c, r.get(c)));
                return out;
            }).toList();
        }
    }

    public static final List<Compared> TABLES = List.of(
            new Compared(ResolutionTimeVsRetention.TABLE, List.of(ResolutionTimeVsRetention.METRIC,
                    ResolutionTimeVsRetention.BUCKET_ORDER)),
            new Compared(ChannelVsLoyalty.TABLE, List.of(ChannelVsLoyalty.CHANNEL)),
            new Compared(SupportPnlMonthly.TABLE, List.of(SupportPnlMonthly.MONTH_START)),
            new Compared(SupportKpisMonthly.TABLE, List.of(SupportKpisMonthly.MONTH_START)),
            new Compared(UpsellCampaignMonthly.TABLE, List.of(UpsellCampaignMonthly.MONTH_START)),
            new Compared(PassiveChurnRecoveryMonthly.TABLE, List.of(PassiveChurnRecoveryMonthly.MONTH_START)),
            new Compared(AgentVsChurn.TABLE, List.of(AgentVsChurn.AGENT_ID), DuckDbAgents.COLUMNS));

    public record Timed(Map<String, List<Map<String, Object>>> tables, double seconds) {}

    /** The silver tables the compared gold tables read. */
    public static final List<TableRef> SILVER = List.of(Tickets.TABLE, Orders.TABLE, OrderLines.TABLE,
            Products.TABLE, Subscriptions.TABLE, RenewalAttempts.TABLE, Refunds.TABLE, Claims.TABLE, Costs.TABLE,
            Agents.TABLE);

    public static DuckDbGold.SilverFiles silverFiles(Warehouse wh) {
        Map<TableRef, List<String>> files = new LinkedHashMap<>();
        Map<TableRef, StructType> schemas = new LinkedHashMap<>();
        for (TableRef t : SILVER) {
            Dataset<Row> table = wh.read(t);
            files.put(t, files(table));
            schemas.put(t, table.schema());
        }
        return new DuckDbGold.SilverFiles(files, schemas);
    }

    private static List<String> files(Dataset<Row> table) {
        return java.util.Arrays.stream(table.inputFiles())
                .map(f -> f.startsWith("file:") ? java.net.URI.create(f).getPath() : f).toList();
    }

    /** Row counts of each silver table as Spark reads it and as DuckDB reads its files; they must agree. */
    public static Map<String, long[]> silverCounts(Warehouse wh, Connection duck, DuckDbGold.SilverFiles files)
            throws SQLException {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (Map.Entry<TableRef, List<String>> t : files.files().entrySet()) {
            long spark = wh.read(t.getKey()).count();
            long duckdb = 0;
            if (!t.getValue().isEmpty()) {
                try (Statement s = duck.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*) FROM " + DuckDbGold.parquet(t.getValue()))) {
                    rs.next();
                    duckdb = rs.getLong(1);
                }
            }
            out.put(t.getKey().toString(), new long[] {spark, duckdb});
        }
        return out;
    }

    /** Spark computing the compared tables from silver, as the gold stage does, and collecting them. */
    public static Timed spark(Warehouse wh, Settings settings, LocalDate asOf) {
        long started = System.nanoTime();
        Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        List<Dataset<Row>> held = new ArrayList<>();
        try (CachedReads silver = new CachedReads(wh)) {
            // As the nightly run's gold stage: every silver table planned at once, each cached from its first scan.
            silver.readAll(SILVER);
            Dataset<Row> tickets = silver.read(Tickets.TABLE);
            Dataset<Row> orders = silver.read(Orders.TABLE);
            Dataset<Row> timeline = hold(held, CustomerTimeline.apply(silver.read(Subscriptions.TABLE), orders));
            Dataset<Row> outcomes = hold(held, TicketOutcomes.apply(tickets, timeline, AsOf.endOfDay(asOf),
                    settings.analytics().retentionHorizonDays()));
            tables.put(ResolutionTimeVsRetention.TABLE.toString(),
                    collect(ResolutionTimeVsRetention.apply(outcomes, asOf, settings.analytics())));
            tables.put(ChannelVsLoyalty.TABLE.toString(), collect(ChannelVsLoyalty.apply(tickets, outcomes, timeline,
                    AsOf.endOfDay(asOf), settings.analytics())));
            Dataset<Row> shopOrders = ShopCurrency.only(orders, Orders.CURRENCY, settings.pnl().currency());
            SupportAttribution.Attributed attributed = PnlTables.attribute(silver::read, tickets, shopOrders, settings,
                    rows -> hold(held, rows));
            PnlTables.stage(silver::read, tickets, shopOrders, attributed, AsOf.endOfDay(asOf), settings,
                    (table, rows) -> {
                        Dataset<Row> h = hold(held, rows);
                        tables.put(table.toString(), collect(h));
                        return h;
                    });
            tables.put(AgentVsChurn.TABLE.toString(), collect(agentCounts(silver, settings, tickets, attributed,
                    asOf)));
        } finally {
            held.forEach(Dataset::unpersist);
        }
        return new Timed(tables, (System.nanoTime() - started) / 1e9);
    }

    /**
     * agent_vs_churn as the gold stage computes it, but with every ticket's expected churn at 0 instead of the
     * logistic regression's: the columns DuckDB computes too ({@link DuckDbAgents#COLUMNS}) do not depend on the
     * model, and fitting it is not SQL, so neither engine's time includes it.
     */
    private static Dataset<Row> agentCounts(CachedReads silver, Settings settings, Dataset<Row> tickets,
                                            SupportAttribution.Attributed attributed, LocalDate asOf) {
        Dataset<Row> failed = AgentVsChurn.failedPayments(silver.read(RenewalAttempts.TABLE));
        Dataset<Row> agents = AgentVsChurn.reference(silver.read(Agents.TABLE));
        Dataset<Row> churnTickets = AgentVsChurn.churnTickets(tickets, silver.read(Subscriptions.TABLE), failed,
                AsOf.endOfDay(asOf), settings.analytics().churnWindowDays());
        Dataset<Row> scored = AgentVsChurn.withExpectedChurn(churnTickets, new AgentVsChurn.ChurnFit(null, 0.0));
        Dataset<Row> sales = AgentVsChurn.salesRevenue(attributed.orders());
        return AgentVsChurn.apply(scored, tickets, agents, sales, settings.analytics());
    }

    private static Dataset<Row> hold(List<Dataset<Row>> held, Dataset<Row> rows) {
        Dataset<Row> h = rows.persist(StorageLevel.MEMORY_AND_DISK());
        held.add(h);
        return h;
    }

    /** The compared tables as the nightly run published them. */
    public static Map<String, List<Map<String, Object>>> published(Warehouse wh) {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        for (Compared t : TABLES) {
            out.put(t.table().toString(), collect(wh.read(t.table())));
        }
        return out;
    }

    /** Gold tables have a row per bucket, channel or month: small by construction. */
    private static List<Map<String, Object>> collect(Dataset<Row> table) {
        return table.collectAsList().stream().map(TableDiff::asMap).toList();
    }

    public static Map<String, TableDiff.Result> compare(Map<String, List<Map<String, Object>>> reference,
                                                        Map<String, List<Map<String, Object>>> other) {
        Map<String, TableDiff.Result> out = new LinkedHashMap<>();
        for (Compared t : TABLES) {
            String name = t.table().toString();
            out.put(name, TableDiff.compare(t.project(reference.getOrDefault(name, List.of())),
                    t.project(other.getOrDefault(name, List.of())), t.keys()));
        }
        return out;
    }
}
