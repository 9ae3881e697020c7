package io.supportroi.analytics;

import io.supportroi.model.Orders;
import io.supportroi.model.Subscriptions;
import io.supportroi.model.Tickets;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.max;

/** The date analytics are computed for: given, or the day of the latest event, so re-runs agree. */
public final class AsOf {
    private AsOf() {}

    /** {@code as-of} means the end of that day in UTC (SPEC §4). */
    public static Timestamp endOfDay(LocalDate asOf) {
        LocalDateTime end = LocalDateTime.of(asOf, LocalTime.MAX.truncatedTo(ChronoUnit.MICROS));
        return Timestamp.from(end.toInstant(ZoneOffset.UTC));
    }

    /** Latest event date in silver; null when silver is empty. One aggregate over the three tables: one job. */
    public static LocalDate latestEventDate(Dataset<Row> tickets, Dataset<Row> orders, Dataset<Row> subscriptions) {
        Row r = tickets.select(greatest(col(Tickets.UPDATED_AT), col(Tickets.CREATED_AT)).as(LATEST))
                .unionByName(orders.select(col(Orders.ORDERED_AT).as(LATEST)))
                .unionByName(subscriptions.select(greatest(col(Subscriptions.STARTED_AT), col(Subscriptions.ENDED_AT))
                        .as(LATEST)))
                .agg(max(LATEST)).head();
        return r.isNullAt(0) ? null : r.getTimestamp(0).toInstant().atOffset(ZoneOffset.UTC).toLocalDate();
    }

    private static final String LATEST = "_latest";
}
