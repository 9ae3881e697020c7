package io.supportroi.ingest;

import org.apache.spark.sql.Column;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.when;

/**
 * A check a parsed record must pass beyond its schema's types; a record that fails one is quarantined with the
 * rule's reason. CSV values all arrive as text, so this is where "is it a number, a date, one of the allowed words"
 * is decided, once, at the door, instead of turning silently into nulls in silver.
 *
 * <p>{@code field} is a path into the parsed record: {@code a.b} for a nested field, {@code list[].x} for field
 * {@code x} of every element of array {@code list} (one array level).
 */
public record FieldRule(String field, Kind kind, List<String> args) implements Serializable {

    public enum Kind { TIMESTAMP, MONEY, NUMBER, WHOLE_NUMBER, RANGE, ONE_OF, REQUIRES, MONTH, AMOUNT, NOT_FUTURE }

    /**
     * How far past the time its file was written an event time may lie before it counts as in the future: a day
     * covers every time zone and clock skew between the exporting system and the file system it wrote to.
     */
    public static final String FUTURE_SLACK = "INTERVAL 1 DAY";

    /** ISO-8601 timestamp with "Z" or an offset (a bare local time is read as UTC). */
    public static FieldRule timestamp(String field) {
        return new FieldRule(field, Kind.TIMESTAMP, List.of());
    }

    /** A decimal amount that fits decimal(18,2) ("39.00", "12.5", 7). */
    public static FieldRule money(String field) {
        return new FieldRule(field, Kind.MONEY, List.of());
    }

    /** An amount that fits decimal(18,2) and is not negative: what an order, a price or a refund can be. */
    public static FieldRule amount(String field) {
        return new FieldRule(field, Kind.AMOUNT, List.of());
    }

    /**
     * An event time that had happened when its file was written (give or take {@link #FUTURE_SLACK}). A ticket
     * created in 2099 is a broken clock or a typo, and counted as it stands it would sit at the end of every
     * timeline.
     */
    public static FieldRule notFuture(String field) {
        return new FieldRule(field, Kind.NOT_FUTURE, List.of());
    }

    /** Any non-negative number (durations). */
    public static FieldRule nonNegative(String field) {
        return new FieldRule(field, Kind.NUMBER, List.of());
    }

    /** A whole number of at least {@code min}. */
    public static FieldRule wholeNumber(String field, int min) {
        return new FieldRule(field, Kind.WHOLE_NUMBER, List.of(Integer.toString(min)));
    }

    /** A number in [lo, hi]. */
    public static FieldRule range(String field, double lo, double hi) {
        return new FieldRule(field, Kind.RANGE, List.of(Double.toString(lo), Double.toString(hi)));
    }

    /** One of the given words, compared trimmed and case-insensitively. */
    public static FieldRule oneOf(String field, String... values) {
        return new FieldRule(field, Kind.ONE_OF, Arrays.stream(values).map(v -> v.toLowerCase(Locale.ROOT)).toList());
    }

    /** When {@code field} is given, {@code other} must be given too. */
    public static FieldRule requires(String field, String other) {
        return new FieldRule(field, Kind.REQUIRES, List.of(other));
    }

    /** A calendar month, "2025-01" (or a date "2025-01-01", whose month is meant). */
    public static FieldRule month(String field) {
        return new FieldRule(field, Kind.MONTH, List.of());
    }

    /** The quarantine reason when {@code record} (the parsed struct) breaks this rule, else null. */
    public Column reason(Column record) {
        int arr = field.indexOf("[].");
        if (arr < 0) {
            Column v = resolve(record, field);
            return when(broken(record, v), concat(lit(prefix()), valueText(v)));
        }
        Column list = resolve(record, field.substring(0, arr));
        String inner = field.substring(arr + 3);
        Column offending = element_at(filter(list, e -> broken(e, resolve(e, inner))), 1);
        return when(exists(list, e -> broken(e, resolve(e, inner))),
                concat(lit(prefix()), valueText(resolve(offending, inner))));
    }

    private String prefix() {
        return switch (kind) {
            case TIMESTAMP -> "unparseable timestamp in " + field + ": ";
            case MONEY -> "not an amount in " + field + ": ";
            case NUMBER -> "not a non-negative number in " + field + ": ";
            case WHOLE_NUMBER -> "not a whole number >= " + args.get(0) + " in " + field + ": ";
            case RANGE -> "out of range " + num(args.get(0)) + "-" + num(args.get(1)) + " in " + field + ": ";
            case ONE_OF -> field + " must be one of " + String.join(", ", args) + ": ";
            case REQUIRES -> field + " given without " + args.get(0) + ": ";
            case MONTH -> "unparseable month (YYYY-MM) in " + field + ": ";
            case AMOUNT -> "not an amount >= 0 in " + field + ": ";
            case NOT_FUTURE -> "in the future (after its file was written) in " + field + ": ";
        };
    }

    private Column broken(Column scope, Column v) {
        Column text = trim(v.cast("string"));
        Column bad = switch (kind) {
            case TIMESTAMP -> Timestamps.parse(v).isNull();
            case MONEY -> text.try_cast("decimal(18,2)").isNull();
            case NUMBER -> text.try_cast("double").isNull().or(text.try_cast("double").lt(0));
            case WHOLE_NUMBER -> text.try_cast("int").isNull().or(text.try_cast("int").lt(Integer.parseInt(args.get(0))));
            case RANGE -> text.try_cast("double").isNull()
                    .or(text.try_cast("double").lt(Double.parseDouble(args.get(0))))
                    .or(text.try_cast("double").gt(Double.parseDouble(args.get(1))));
            case ONE_OF -> lower(text).isin(args.toArray()).equalTo(false);
            case REQUIRES -> resolve(scope, args.get(0)).isNull();
            case MONTH -> monthStart(v).isNull();
            case AMOUNT -> text.try_cast("decimal(18,2)").isNull().or(text.try_cast("decimal(18,2)").lt(0));
            // An unparseable time is the TIMESTAMP rule's to report: here it is not broken. Records cut from
            // text in memory (tests) have no file time and fall back to this run's clock; a file stamped in the
            // future (a skewed clock, a touch) is judged by this run's clock, not by its own stamp.
            case NOT_FUTURE -> coalesce(Timestamps.parse(v).gt(least(
                    coalesce(col(BronzeIngest.FILE_MODIFIED_AT), current_timestamp()), current_timestamp())
                    .plus(expr(FUTURE_SLACK))), lit(false));
        };
        return v.isNotNull().and(bad);
    }

    /** First instant of the month named by "YYYY-MM" or "YYYY-MM-DD" text; null when it is neither. */
    public static Column monthStart(Column text) {
        Column t = trim(text.cast("string"));
        return when(length(t).equalTo(7), try_to_timestamp(t, lit("yyyy-MM")))
                .when(length(t).equalTo(10), date_trunc("month", try_to_timestamp(t, lit("yyyy-MM-dd"))));
    }

    private static Column resolve(Column base, String path) {
        Column c = base;
        for (String part : path.split("\\.")) {
            c = c.getField(part);
        }
        return c;
    }

    private static Column valueText(Column v) {
        return coalesce(v.cast("string"), lit("null"));
    }

    private static String num(String d) {
        return d.endsWith(".0") ? d.substring(0, d.length() - 2) : d;
    }
}
