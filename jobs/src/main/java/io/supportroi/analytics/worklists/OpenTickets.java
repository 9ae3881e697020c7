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
 * Tickets still waiting on support at the end of the as-of day. Silver keeps each ticket's latest version, so the
 * state at as-of is rebuilt from it: a ticket solved after as-of was still open then; one never solved is open
 * unless its latest status says finished (a helpdesk that closes without a solve time).
 */
public final class OpenTickets {
    private OpenTickets() {}

    /** Statuses every helpdesk we read uses for a finished ticket (Zendesk, Gorgias, the canonical CSV). */
    static final String[] FINISHED = {"solved", "closed", "resolved"};

    /** Created by as-of and not solved or closed by then: new, open, pending and on-hold tickets all need an agent. */
    public static Column isOpenAt(Timestamp asOfEnd) {
        Column end = lit(asOfEnd);
        Column finishedStatus = coalesce(lower(col(Tickets.STATUS)), lit("")).isin((Object[]) FINISHED);
        return col(Tickets.CREATED_AT).leq(end)
                .and(col(Tickets.SOLVED_AT).gt(end)
                        .or(col(Tickets.SOLVED_AT).isNull().and(finishedStatus.equalTo(false))));
    }

    public static Dataset<Row> asOf(Dataset<Row> tickets, Timestamp asOfEnd) {
        return tickets.filter(isOpenAt(asOfEnd));
    }

    /** Hours from {@code since} to the end of the as-of day. */
    public static Column ageHours(Column since, Timestamp asOfEnd) {
        return unix_micros(lit(asOfEnd)).minus(unix_micros(since)).cast("double").divide(3_600_000_000.0);
    }
}
