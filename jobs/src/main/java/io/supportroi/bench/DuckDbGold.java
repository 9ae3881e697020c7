package io.supportroi.bench;

import io.supportroi.analytics.AsOf;
import io.supportroi.analytics.ChannelVsLoyalty;
import io.supportroi.analytics.ResolutionTimeVsRetention;
import io.supportroi.analytics.SpeedBuckets;
import io.supportroi.analytics.TicketOutcomes;
import io.supportroi.config.Settings;
import io.supportroi.model.Orders;
import io.supportroi.model.Subscriptions;
import io.supportroi.model.Tickets;
import io.supportroi.ops.TableRef;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The benchmark's other engine: the gold tables the benchmark compares, written as the plain SQL an engineer would
 * run in DuckDB over the Parquet files of one silver snapshot. The definitions are those of SPEC §4 and of the Spark
 * jobs ({@link ResolutionTimeVsRetention}, {@link ChannelVsLoyalty}); time is compared in epoch microseconds so that
 * neither engine's time-zone handling matters.
 */
public final class DuckDbGold {
    private DuckDbGold() {}

    /**
     * The silver tables the compared gold tables read, as of one snapshot: each table's Parquet files, and its
     * schema for a table that has none (a source that never delivered).
     */
    public record SilverFiles(Map<TableRef, List<String>> files, Map<TableRef, StructType> schemas) {}

    public record Result(Map<String, List<Map<String, Object>>> tables, double seconds) {}

    /** Opens an in-memory DuckDB limited to {@code threads}, the cores Spark gets, so the comparison is fair. */
    public static Connection open(int threads) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = c.createStatement()) {
            s.execute("SET threads = " + threads);
            s.execute("SET TimeZone = 'UTC'");
        }
        return c;
    }

    /** Computes every compared gold table from the Parquet files; the time counts reading them. */
    public static Result run(Connection c, SilverFiles files, LocalDate asOf, Settings settings)
            throws SQLException {
        long started = System.nanoTime();
        Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        Settings.AnalyticsSettings analytics = settings.analytics();
        try (Statement s = c.createStatement()) {
            // A view per silver table, named as the table (tickets, order_lines, ...).
            for (Map.Entry<TableRef, List<String>> t : files.files().entrySet()) {
                s.execute("CREATE OR REPLACE TEMP VIEW " + t.getKey().name() + " AS "
                        + (t.getValue().isEmpty() ? empty(files.schemas().get(t.getKey()))
                                : "SELECT * FROM " + parquet(t.getValue())));
            }
            // Shared by both tables, as the Spark job shares its per-ticket outcomes: materialised once.
            s.execute("CREATE OR REPLACE TEMP TABLE outcomes AS " + outcomesSql(asOf, analytics));
            tables.put(ResolutionTimeVsRetention.TABLE.toString(),
                    rows(s, resolutionTimeVsRetentionSql(asOf, analytics)));
            tables.put(ChannelVsLoyalty.TABLE.toString(), withChiSquarePValue(rows(s, channelVsLoyaltySql(asOf,
                    analytics))));
            s.execute("DROP TABLE outcomes");
            tables.putAll(DuckDbPnl.tables(s, asOf, settings));
        }
        return new Result(tables, (System.nanoTime() - started) / 1e9);
    }

    /** An empty relation with the columns of a Spark schema, for a silver table without files. */
    static String empty(StructType schema) {
        return "SELECT " + java.util.Arrays.stream(schema.fields())
                .map(f -> "CAST(NULL AS " + duckType(f.dataType()) + ") AS " + f.name())
                .collect(Collectors.joining(", ")) + " WHERE false";
    }

    private static String duckType(DataType t) {
        if (t instanceof ArrayType a) {
            return duckType(a.elementType()) + "[]";
        }
        if (t instanceof DecimalType d) {
            return "DECIMAL(" + d.precision() + ", " + d.scale() + ")";
        }
        if (t instanceof TimestampType) {
            return "TIMESTAMPTZ";
        }
        return switch (t.typeName()) {
            case "string" -> "VARCHAR";
            case "long" -> "BIGINT";
            case "integer" -> "INTEGER";
            case "double" -> "DOUBLE";
            case "boolean" -> "BOOLEAN";
            case "date" -> "DATE";
            default -> throw new IllegalArgumentException("no DuckDB type for " + t.sql());
        };
    }

    /** A DuckDB table expression over the given Parquet files. */
    static String parquet(List<String> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("a silver table has no Parquet file");
        }
        return "read_parquet([" + files.stream().map(DuckDbGold::quote).collect(Collectors.joining(", ")) + "])";
    }

    static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    static long micros(long days) {
        return TimeUnit.DAYS.toMicros(days);
    }

    static long asOfMicros(LocalDate asOf) {
        java.sql.Timestamp end = AsOf.endOfDay(asOf);
        return TimeUnit.SECONDS.toMicros(end.getTime() / 1000) + end.getNanos() / 1000;
    }

    /** SPEC §4: tickets whose horizon has ended, with retained (subscriber: active at the horizon; else ordered). */
    static String outcomesSql(LocalDate asOf, Settings.AnalyticsSettings settings) {
        long h = micros(settings.retentionHorizonDays());
        return String.format(Locale.ROOT, """
                WITH eligible AS (
                  SELECT %1$s AS ticket_id, %2$s AS customer_id, %3$s AS channel,
                         %4$s AS resolution_hours, %5$s AS first_response_seconds,
                         epoch_us(%6$s) AS created_us, epoch_us(%6$s) + %7$d AS horizon_us
                  FROM tickets
                  WHERE %2$s IS NOT NULL AND %6$s IS NOT NULL AND epoch_us(%6$s) + %7$d <= %8$d),
                subs AS (
                  SELECT %9$s AS customer_id, epoch_us(%10$s) AS started_us, epoch_us(%11$s) AS ended_us
                  FROM subscriptions WHERE %9$s IS NOT NULL),
                ords AS (
                  SELECT %12$s AS customer_id, epoch_us(%13$s) AS ordered_us, %14$s AS total
                  FROM orders WHERE %12$s IS NOT NULL AND %15$s IS NULL),
                sub_flags AS (
                  SELECT e.ticket_id,
                         bool_or(s.started_us <= e.horizon_us) AS ever_subscribed,
                         bool_or(s.started_us <= e.horizon_us
                                 AND (s.ended_us IS NULL OR s.ended_us > e.horizon_us)) AS active_at_horizon
                  FROM eligible e JOIN subs s ON s.customer_id = e.customer_id
                  GROUP BY e.ticket_id),
                order_flags AS (
                  SELECT e.ticket_id, sum(coalesce(o.total, 0)) AS revenue
                  FROM eligible e JOIN ords o ON o.customer_id = e.customer_id
                   AND o.ordered_us > e.created_us AND o.ordered_us <= e.horizon_us
                  GROUP BY e.ticket_id)
                SELECT e.customer_id, e.channel, e.resolution_hours, e.first_response_seconds,
                       CASE WHEN coalesce(s.ever_subscribed, false) THEN s.active_at_horizon
                            ELSE o.ticket_id IS NOT NULL END AS %16$s,
                       coalesce(o.revenue, 0) AS %17$s
                FROM eligible e
                LEFT JOIN sub_flags s ON s.ticket_id = e.ticket_id
                LEFT JOIN order_flags o ON o.ticket_id = e.ticket_id""",
                Tickets.TICKET_ID, Tickets.CUSTOMER_ID, Tickets.CHANNEL, Tickets.RESOLUTION_HOURS,
                Tickets.FIRST_RESPONSE_SECONDS, Tickets.CREATED_AT, h, asOfMicros(asOf),
                Subscriptions.CUSTOMER_ID, Subscriptions.STARTED_AT, Subscriptions.ENDED_AT,
                Orders.CUSTOMER_ID, Orders.ORDERED_AT, Orders.TOTAL, Orders.CANCELLED_AT,
                TicketOutcomes.RETAINED, TicketOutcomes.REVENUE_H);
    }

    static String resolutionTimeVsRetentionSql(LocalDate asOf, Settings.AnalyticsSettings settings) {
        List<Double> bounds = settings.speedBucketBoundsHours();
        StringBuilder bucketOf = new StringBuilder("CASE");
        for (int i = 0; i < bounds.size(); i++) {
            bucketOf.append(String.format(Locale.ROOT, " WHEN hours < %s THEN %d", bounds.get(i), i));
        }
        bucketOf.append(" ELSE ").append(bounds.size()).append(" END");
        String buckets = SpeedBuckets.of(bounds).stream()
                .map(b -> String.format(Locale.ROOT, "(%d, %s, CAST(%s AS DOUBLE), CAST(%s AS DOUBLE))", b.order(),
                        quote(b.label()), b.lower(), b.upper() == null ? "NULL" : b.upper().toString()))
                .collect(Collectors.joining(", "));
        String metrics = ResolutionTimeVsRetention.metrics().stream().map(m -> "(" + quote(m.name()) + ")")
                .collect(Collectors.joining(", "));
        double z = settings.wilsonZ();
        return String.format(Locale.ROOT, """
                WITH per_metric AS (
                  SELECT %1$s AS metric, customer_id, retained, revenue_h, resolution_hours AS hours FROM outcomes
                  UNION ALL
                  SELECT %2$s, customer_id, retained, revenue_h, first_response_seconds / 3600.0 FROM outcomes),
                counts AS (
                  SELECT metric, %3$s AS bucket_order, count(*) AS tickets, count(DISTINCT customer_id) AS customers,
                         sum(CASE WHEN retained THEN 1 ELSE 0 END) AS retained, sum(revenue_h) AS revenue
                  FROM per_metric WHERE hours IS NOT NULL GROUP BY ALL),
                grid AS (
                  SELECT * FROM (VALUES %4$s) m(metric)
                  CROSS JOIN (VALUES %5$s) b(bucket_order, bucket, lower_hours, upper_hours)),
                filled AS (
                  SELECT g.*, coalesce(c.tickets, 0) AS tickets, coalesce(c.customers, 0) AS customers,
                         coalesce(c.retained, 0) AS retained, c.revenue
                  FROM grid g LEFT JOIN counts c USING (metric, bucket_order)),
                rated AS (
                  SELECT *, CASE WHEN tickets > 0 THEN CAST(retained AS DOUBLE) / CAST(tickets AS DOUBLE) END AS rate
                  FROM filled)
                SELECT metric, bucket, bucket_order, lower_hours, upper_hours, tickets, customers, retained,
                       rate AS retention_rate, %6$s AS ci_low, %7$s AS ci_high,
                       CASE WHEN tickets > 0 THEN %8$s END AS revenue_per_ticket_h,
                       rate - first_value(rate IGNORE NULLS) OVER (PARTITION BY metric ORDER BY bucket_order
                           ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS lift_vs_fastest,
                       %9$d AS horizon_days, DATE '%10$s' AS as_of
                FROM rated ORDER BY metric, bucket_order""",
                quote(ResolutionTimeVsRetention.RESOLUTION_TIME), quote(ResolutionTimeVsRetention.FIRST_RESPONSE_TIME),
                bucketOf, metrics, buckets, wilson("retained", "tickets", z, -1), wilson("retained", "tickets", z, +1),
                sparkRoundedQuotient("revenue", "tickets"), settings.retentionHorizonDays(), asOf);
    }

    static String channelVsLoyaltySql(LocalDate asOf, Settings.AnalyticsSettings settings) {
        long loyalty = micros(ChannelVsLoyalty.LOYALTY_DAYS);
        double z = settings.wilsonZ();
        return String.format(Locale.ROOT, """
                WITH retention AS (
                  SELECT channel, count(*) AS tickets, count(DISTINCT customer_id) AS customers,
                         sum(CASE WHEN retained THEN 1 ELSE 0 END) AS retained
                  FROM outcomes GROUP BY channel),
                quality AS (
                  SELECT %1$s AS channel, avg(CAST(%2$s AS DOUBLE)) AS csat,
                         quantile_cont(%3$s, 0.5) AS median_resolution_hours
                  FROM tickets GROUP BY 1),
                firsts AS (
                  SELECT %1$s AS channel, %4$s AS customer_id, min(epoch_us(%5$s)) AS first_us
                  FROM tickets WHERE %4$s IS NOT NULL GROUP BY 1, 2
                  HAVING min(epoch_us(%5$s)) + %6$d <= %7$d),
                windowed AS (
                  SELECT f.channel, f.customer_id, sum(coalesce(o.%8$s, 0)) AS revenue
                  FROM firsts f JOIN orders o ON o.%9$s = f.customer_id AND o.%10$s IS NULL
                   AND epoch_us(o.%11$s) > f.first_us AND epoch_us(o.%11$s) <= f.first_us + %6$d
                  GROUP BY 1, 2),
                loyalty AS (
                  SELECT f.channel, count(*) AS customers_180d,
                         sum(CASE WHEN w.customer_id IS NOT NULL THEN 1 ELSE 0 END) AS repeat_customers_180d,
                         coalesce(sum(w.revenue), 0) AS revenue_180d
                  FROM firsts f LEFT JOIN windowed w USING (channel, customer_id) GROUP BY f.channel),
                channels AS (
                  SELECT channel FROM retention UNION SELECT channel FROM quality UNION SELECT channel FROM loyalty),
                per_channel AS (
                  SELECT c.channel, r.tickets, r.customers, r.retained, q.csat, q.median_resolution_hours,
                         l.customers_180d, l.repeat_customers_180d, l.revenue_180d, 0 AS is_total
                  FROM channels c LEFT JOIN retention r USING (channel) LEFT JOIN quality q USING (channel)
                  LEFT JOIN loyalty l USING (channel)),
                totals AS (
                  SELECT %12$s AS channel, t.*, q.*, l.*, 1 AS is_total
                  FROM (SELECT count(*) AS tickets, count(DISTINCT customer_id) AS customers,
                               sum(CASE WHEN retained THEN 1 ELSE 0 END) AS retained FROM outcomes) t,
                       (SELECT avg(CAST(%2$s AS DOUBLE)) AS csat,
                               quantile_cont(%3$s, 0.5) AS median_resolution_hours FROM tickets) q,
                       (SELECT sum(customers_180d) AS customers_180d,
                               sum(repeat_customers_180d) AS repeat_customers_180d,
                               sum(revenue_180d) AS revenue_180d FROM loyalty) l),
                cells AS (
                  SELECT channel, coalesce(retained, false) AS label, count(*) AS observed FROM outcomes GROUP BY ALL),
                by_channel AS (SELECT channel, count(*) AS n FROM outcomes GROUP BY channel),
                by_label AS (SELECT coalesce(retained, false) AS label, count(*) AS n FROM outcomes GROUP BY 1),
                chi AS (
                  SELECT sum(power(coalesce(c.observed, 0) - e.expected, 2) / e.expected) AS chi_square,
                         CAST(((SELECT count(*) FROM by_channel) - 1) * ((SELECT count(*) FROM by_label) - 1)
                              AS INTEGER) AS chi_square_dof
                  FROM (SELECT bc.channel, bl.label,
                               CAST(bc.n AS DOUBLE) * CAST(bl.n AS DOUBLE) / (SELECT count(*) FROM outcomes) AS expected
                        FROM by_channel bc CROSS JOIN by_label bl) e
                  LEFT JOIN cells c ON c.channel = e.channel AND c.label = e.label
                  HAVING (SELECT count(*) FROM by_channel) >= 2),
                all_rows AS (
                  SELECT p.*, CAST(NULL AS DOUBLE) AS chi_square, CAST(NULL AS INTEGER) AS chi_square_dof
                  FROM per_channel p
                  UNION ALL BY NAME
                  SELECT t.*, chi.chi_square, chi.chi_square_dof FROM totals t LEFT JOIN chi ON true),
                filled AS (
                  SELECT * REPLACE (coalesce(tickets, 0) AS tickets, coalesce(customers, 0) AS customers,
                                    coalesce(retained, 0) AS retained)
                  FROM all_rows)
                SELECT channel, customers, tickets, retained,
                       CASE WHEN tickets > 0 THEN CAST(retained AS DOUBLE) / CAST(tickets AS DOUBLE) END
                           AS retention_rate,
                       %13$s AS ci_low, %14$s AS ci_high,
                       CASE WHEN customers_180d > 0
                            THEN CAST(repeat_customers_180d AS DOUBLE) / CAST(customers_180d AS DOUBLE) END
                           AS repeat_purchase_rate,
                       CASE WHEN customers_180d > 0 THEN %15$s END AS revenue_per_customer_180d,
                       csat, median_resolution_hours, customers_180d, repeat_customers_180d,
                       chi_square, chi_square_dof
                FROM filled ORDER BY is_total, channel""",
                Tickets.CHANNEL, Tickets.CSAT, Tickets.RESOLUTION_HOURS, Tickets.CUSTOMER_ID, Tickets.CREATED_AT,
                loyalty, asOfMicros(asOf), Orders.TOTAL, Orders.CUSTOMER_ID, Orders.CANCELLED_AT, Orders.ORDERED_AT,
                quote(ChannelVsLoyalty.ALL), wilson("retained", "tickets", z, -1), wilson("retained", "tickets", z, +1),
                sparkRoundedQuotient("revenue_180d", "customers_180d"));
    }

    /** The Wilson bound, in the order of operations of {@code analytics.Wilson}. */
    static String wilson(String successes, String trials, double z, int sign) {
        String n = "CAST(" + trials + " AS DOUBLE)";
        String p = "(CAST(" + successes + " AS DOUBLE) / " + n + ")";
        String z2 = Double.toString(z * z);
        String centre = "(" + p + " + " + z2 + " / (" + n + " * 2.0))";
        String half = z + " * sqrt(" + p + " * (1.0 - " + p + ") / " + n + " + " + z2 + " / (" + n + " * " + n
                + " * 4.0))";
        return "CASE WHEN " + trials + " > 0 THEN (" + centre + (sign < 0 ? " - " : " + ") + half + ") / (1.0 + "
                + z2 + " / " + n + ") END";
    }

    /**
     * A non-negative decimal sum divided by a count, rounded to the cent as Spark does it: Spark's decimal division
     * keeps six decimals (rounded half up) at this precision, and {@code round(_, 2)} then rounds those half up.
     * Integer arithmetic on the cents keeps DuckDB's result exact instead of going through a double.
     */
    static String sparkRoundedQuotient(String sum, String count) {
        String cents = "CAST(" + sum + " * 100 AS HUGEINT)";
        String micros = "((" + cents + " * 20000 + " + count + ") // (2 * " + count + "))";
        return "CAST((" + micros + " + 5000) // 10000 AS DECIMAL(18, 0)) * CAST(0.01 AS DECIMAL(3, 2))";
    }

    /** MLlib reports the test's p-value; DuckDB has no chi-square distribution, so it comes from the same library. */
    private static List<Map<String, Object>> withChiSquarePValue(List<Map<String, Object>> rows) {
        for (Map<String, Object> r : rows) {
            Object stat = r.get(ChannelVsLoyalty.CHI_SQUARE);
            Object dof = r.get(ChannelVsLoyalty.CHI_SQUARE_DOF);
            r.put(ChannelVsLoyalty.CHI_SQUARE_P_VALUE, stat == null || dof == null || ((Number) dof).intValue() < 1
                    ? null : 1.0 - new ChiSquaredDistribution(((Number) dof).intValue())
                    .cumulativeProbability(((Number) stat).doubleValue()));
        }
        return rows;
    }

    /** A gold table is a handful of rows: they are read whole. */
    static List<Map<String, Object>> rows(Statement s, String sql) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getObject(i));
                }
                out.add(row);
            }
        }
        return out;
    }
}
