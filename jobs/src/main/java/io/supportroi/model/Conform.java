package io.supportroi.model;

import io.supportroi.ingest.Bronze;
import org.apache.spark.sql.Column;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

/** Small conversions every silver table makes the same way: money, durations, lists in text, blanks. */
public final class Conform {
    private Conform() {}

    public static final String MONEY = "decimal(18,2)";

    /** Money sent as text ("39.00") or as a number (12.5) to decimal(18,2); null when it is neither. */
    public static Column money(Column textOrNumber) {
        return trim(textOrNumber.cast("string")).try_cast(MONEY);
    }

    /** Stripe's integer cents to decimal(18,2) units of the currency. */
    public static Column cents(Column cents) {
        return cents.cast("decimal(20,0)").divide(lit(100)).cast(MONEY);
    }

    /** A number in text ("312.5") to double; null when absent or not a number. */
    public static Column number(Column text) {
        return trim(text.cast("string")).try_cast("double");
    }

    /** A whole number in text to int; null when absent or not whole. */
    public static Column wholeNumber(Column text) {
        return trim(text.cast("string")).try_cast("int");
    }

    /** Seconds from {@code from} to {@code to}, as a double; null when either is null. */
    public static Column secondsBetween(Column from, Column to) {
        return unix_micros(to).minus(unix_micros(from)).cast("double").divide(1_000_000.0);
    }

    public static Column hoursBetween(Column from, Column to) {
        return secondsBetween(from, to).divide(3600.0);
    }

    /** Trimmed text; blank becomes null. */
    public static Column text(Column c) {
        Column t = trim(c.cast("string"));
        return when(t.equalTo(""), lit(null).cast("string")).otherwise(t);
    }

    /** "a; b, c" to [a, b, c]: CSV list cells may use ';' or ',' (quoted); blanks dropped; null is empty. */
    public static Column list(Column text) {
        return coalesce(filter(transform(split(coalesce(text, lit("")), "[;,]"), t -> trim(t)),
                t -> t.notEqual("")), emptyStrings());
    }

    public static Column emptyStrings() {
        return array().cast("array<string>");
    }

    /**
     * Aggregate: the value of {@code c} on the last bronze record (in ingestion order) that has one. Deterministic,
     * unlike {@code first}/{@code last}, whose result depends on partition order.
     */
    public static Column lastNonNull(Column c) {
        return max_by(c, when(c.isNotNull(), struct(col(Bronze.INGESTED_AT), col(Bronze.RUN_ID),
                col(Bronze.SOURCE_FILE), col(Bronze.FILE_HASH), col(Bronze.RECORD_INDEX))));
    }
}
