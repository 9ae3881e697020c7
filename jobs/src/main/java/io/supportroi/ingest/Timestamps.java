package io.supportroi.ingest;

import org.apache.spark.sql.Column;

/** Source timestamps (ISO-8601 with "Z" or an offset, or Unix seconds) to UTC {@code timestamp}. */
public final class Timestamps {
    private Timestamps() {}

    /** ISO-8601 text to timestamp; null when it does not parse (callers quarantine on that). */
    public static Column parse(Column isoText) {
        return isoText.try_cast("timestamp");
    }

    /** Unix seconds (Stripe's {@code created}) to timestamp. */
    public static Column fromUnixSeconds(Column seconds) {
        return org.apache.spark.sql.functions.timestamp_seconds(seconds);
    }
}
