package io.supportroi.analytics.worklists;

import io.supportroi.model.Tickets;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.sql.Timestamp;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.unix_micros;

/**
 * Tickets still waiting on support. Silver keeps each ticket's latest status only, so "open" is the status the
 * helpdesk last reported, whatever the as-of date; as-of only hides tickets created after it.
 */
public final class OpenTickets {
    private OpenTickets() {}

    /** Statuses every helpdesk we read uses for a finished ticket (Zendesk, Gorgias, the canonical CSV). */
    static final String[] FINISHED = {"solved", "closed", "resolved"};

    /** Not solved or closed: new, open, pending and on-hold tickets all still need an agent. */
    public static Column isOpen() {
        return col(Tickets.SOLVED_AT).isNull()
                .and(coalesce(lower(col(Tickets.STATUS)), lit("")).isin((Object[]) FINISHED).equalTo(false));
    }

    public static Dataset<Row> asOf(Dataset<Row> tickets, Timestamp asOfEnd) {
        return tickets.filter(isOpen().and(col(Tickets.CREATED_AT).leq(lit(asOfEnd))));
    }

    /** Hours from {@code since} to the end of the as-of day. */
    public static Column ageHours(Column since, Timestamp asOfEnd) {
        return unix_micros(lit(asOfEnd)).minus(unix_micros(since)).cast("double").divide(3_600_000_000.0);
    }
}
