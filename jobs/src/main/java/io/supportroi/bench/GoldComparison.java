package io.supportroi.bench;

import io.supportroi.analytics.AsOf;
import io.supportroi.analytics.ChannelVsLoyalty;
import io.supportroi.analytics.CustomerTimeline;
import io.supportroi.analytics.ResolutionTimeVsRetention;
import io.supportroi.analytics.TicketOutcomes;
import io.supportroi.config.Settings;
import io.supportroi.model.Orders;
import io.supportroi.model.Subscriptions;
import io.supportroi.model.Tickets;
import io.supportroi.ops.TableRef;
import io.supportroi.ops.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
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

    /** A compared table and the columns that identify its rows. */
    public record Compared(TableRef table, List<String> keys) {}

    public static final List<Compared> TABLES = List.of(
            new Compared(ResolutionTimeVsRetention.TABLE, List.of(ResolutionTimeVsRetention.METRIC,
                    ResolutionTimeVsRetention.BUCKET_ORDER)),
            new Compared(ChannelVsLoyalty.TABLE, List.of(ChannelVsLoyalty.CHANNEL)));

    public record Timed(Map<String, List<Map<String, Object>>> tables, double seconds) {}

    public static DuckDbGold.SilverFiles silverFiles(Warehouse wh) {
        return new DuckDbGold.SilverFiles(files(wh.read(Tickets.TABLE)), files(wh.read(Orders.TABLE)),
                files(wh.read(Subscriptions.TABLE)));
    }

    private static List<String> files(Dataset<Row> table) {
        return java.util.Arrays.stream(table.inputFiles())
                .map(f -> f.startsWith("file:") ? java.net.URI.create(f).getPath() : f).toList();
    }

    /** Row counts of each silver table as Spark reads it and as DuckDB reads its files; they must agree. */
    public static Map<String, long[]> silverCounts(Warehouse wh, Connection duck, DuckDbGold.SilverFiles files)
            throws SQLException {
        Map<String, long[]> out = new LinkedHashMap<>();
        Map<TableRef, List<String>> tables = new LinkedHashMap<>();
        tables.put(Tickets.TABLE, files.tickets());
        tables.put(Orders.TABLE, files.orders());
        tables.put(Subscriptions.TABLE, files.subscriptions());
        for (Map.Entry<TableRef, List<String>> t : tables.entrySet()) {
            long spark = wh.read(t.getKey()).count();
            long duckdb;
            try (Statement s = duck.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM " + DuckDbGold.parquet(t.getValue()))) {
                rs.next();
                duckdb = rs.getLong(1);
            }
            out.put(t.getKey().toString(), new long[] {spark, duckdb});
        }
        return out;
    }

    /** Spark computing the compared tables from silver, as the gold stage does, and collecting them. */
    public static Timed spark(Warehouse wh, Settings settings, LocalDate asOf) {
        long started = System.nanoTime();
        Dataset<Row> tickets = wh.read(Tickets.TABLE);
        Dataset<Row> timeline = CustomerTimeline.apply(wh.read(Subscriptions.TABLE), wh.read(Orders.TABLE))
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> outcomes = TicketOutcomes.apply(tickets, timeline, AsOf.endOfDay(asOf),
                settings.analytics().retentionHorizonDays()).persist(StorageLevel.MEMORY_AND_DISK());
        Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        try {
            tables.put(ResolutionTimeVsRetention.TABLE.toString(),
                    collect(ResolutionTimeVsRetention.apply(outcomes, asOf, settings.analytics())));
            tables.put(ChannelVsLoyalty.TABLE.toString(), collect(ChannelVsLoyalty.apply(tickets, outcomes, timeline,
                    AsOf.endOfDay(asOf), settings.analytics())));
        } finally {
            outcomes.unpersist();
            timeline.unpersist();
        }
        return new Timed(tables, (System.nanoTime() - started) / 1e9);
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
            out.put(name, TableDiff.compare(reference.getOrDefault(name, List.of()),
                    other.getOrDefault(name, List.of()), t.keys()));
        }
        return out;
    }
}
