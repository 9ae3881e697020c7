package io.supportroi.generate;

import io.supportroi.ops.JsonStrings;

/**
 * Streaming JSON text into a {@link StringBuilder}, commas placed automatically. The high-volume records (tickets,
 * orders, events) go through here instead of a Jackson tree: building millions of trees costs more than simulating
 * the business. Field order is the call order, so output is stable byte for byte.
 */
final class JsonWriter {
    private static final int MAX_DEPTH = 64;

    private final StringBuilder sb;
    /** Per nesting level: has a value been written at this level yet (so the next one needs a comma)? */
    private final boolean[] hasValue = new boolean[MAX_DEPTH];
    private int depth;
    private boolean afterName;
    /**
     * How {@link #shopTime} and {@link #money} write, for exports made by another tool than Shopify's own: every
     * timestamp at one fixed UTC offset instead of the shop zone's, money as bare numbers instead of strings.
     */
    private boolean fixedOffset;
    private int offsetSeconds;
    private boolean numericMoney;

    JsonWriter(StringBuilder sb) {
        this.sb = sb;
    }

    StringBuilder builder() {
        return sb;
    }

    JsonWriter beginObject() {
        separate();
        sb.append('{');
        push();
        return this;
    }

    JsonWriter endObject() {
        depth--;
        sb.append('}');
        return this;
    }

    JsonWriter beginArray() {
        separate();
        sb.append('[');
        push();
        return this;
    }

    JsonWriter endArray() {
        depth--;
        sb.append(']');
        return this;
    }

    /**
     * A member name. Names are this package's own field-name constants (plain ASCII identifiers), so they are
     * written without the escaping scan that values get: that scan was a visible share of the run time.
     */
    JsonWriter name(String name) {
        separate();
        sb.append('"').append(name).append("\":");
        afterName = true;
        return this;
    }

    /** A string value, or {@code null} when {@code value} is null. */
    JsonWriter value(String value) {
        separate();
        if (value == null) {
            sb.append("null");
        } else {
            appendString(sb, value);
        }
        return this;
    }

    JsonWriter value(long value) {
        separate();
        sb.append(value);
        return this;
    }

    JsonWriter value(boolean value) {
        separate();
        sb.append(value);
        return this;
    }

    JsonWriter nullValue() {
        separate();
        sb.append("null");
        return this;
    }

    /** Instant as an ISO-8601 UTC string ({@code ...Z}). */
    JsonWriter utc(long epochSecond) {
        separate();
        sb.append('"');
        Times.appendUtc(sb, epochSecond);
        sb.append('"');
        return this;
    }

    /** See {@link #fixedOffset}: {@code fixed} false restores Shopify's own conventions. */
    JsonWriter exportStyle(boolean fixed, int offset, boolean numeric) {
        this.fixedOffset = fixed;
        this.offsetSeconds = offset;
        this.numericMoney = numeric;
        return this;
    }

    /**
     * Instant as ISO-8601 with the shop's UTC offset, the way Shopify writes {@code created_at} (or at the fixed
     * offset of {@link #exportStyle}).
     */
    JsonWriter shopTime(long epochSecond) {
        if (fixedOffset) {
            return offsetTime(epochSecond, offsetSeconds);
        }
        separate();
        sb.append('"');
        Times.appendShop(sb, epochSecond);
        sb.append('"');
        return this;
    }

    /** Instant as ISO-8601 local time at a fixed UTC offset, the offset spelled out ({@code +00:00} for UTC). */
    JsonWriter offsetTime(long epochSecond, int offsetSeconds) {
        separate();
        sb.append('"');
        Times.appendOffset(sb, epochSecond, offsetSeconds);
        sb.append('"');
        return this;
    }

    /** Cents as a bare JSON number, {@code 3900 -> 39.00}: what some export tools write instead of a string. */
    JsonWriter moneyNumber(long cents) {
        separate();
        appendMoney(sb, cents);
        return this;
    }

    /** Cents as Shopify's decimal string, {@code 3900 -> "39.00"} (a bare number under {@link #exportStyle}). */
    JsonWriter money(long cents) {
        if (numericMoney) {
            return moneyNumber(cents);
        }
        separate();
        sb.append('"');
        appendMoney(sb, cents);
        sb.append('"');
        return this;
    }

    JsonWriter field(String name, String value) {
        return name(name).value(value);
    }

    JsonWriter field(String name, long value) {
        return name(name).value(value);
    }

    JsonWriter field(String name, boolean value) {
        return name(name).value(value);
    }

    JsonWriter nullField(String name) {
        return name(name).nullValue();
    }

    JsonWriter utcField(String name, long epochSecond) {
        return name(name).utc(epochSecond);
    }

    /** A UTC timestamp field, or null when {@code present} is false (a milestone not reached yet). */
    JsonWriter utcFieldOrNull(String name, boolean present, long epochSecond) {
        name(name);
        return present ? utc(epochSecond) : nullValue();
    }

    /** A Gorgias timestamp: UTC written as {@code +00:00}. */
    JsonWriter utcOffsetField(String name, long epochSecond) {
        return name(name).offsetTime(epochSecond, 0);
    }

    /** A Gorgias timestamp: UTC written as {@code +00:00}, or null when {@code present} is false. */
    JsonWriter utcOffsetFieldOrNull(String name, boolean present, long epochSecond) {
        name(name);
        return present ? offsetTime(epochSecond, 0) : nullValue();
    }

    JsonWriter shopTimeField(String name, long epochSecond) {
        return name(name).shopTime(epochSecond);
    }

    JsonWriter moneyField(String name, long cents) {
        return name(name).money(cents);
    }

    JsonWriter emptyObjectField(String name) {
        name(name).beginObject();
        return endObject();
    }

    static void appendMoney(StringBuilder sb, long cents) {
        if (cents < 0) {
            sb.append('-');
            cents = -cents;
        }
        sb.append(cents / 100).append('.');
        long c = cents % 100;
        if (c < 10) {
            sb.append('0');
        }
        sb.append(c);
    }

    static void appendString(StringBuilder sb, String s) {
        JsonStrings.append(sb, s);
    }

    private void push() {
        if (depth + 1 >= MAX_DEPTH) {
            throw new IllegalStateException("JSON nested deeper than " + MAX_DEPTH);
        }
        depth++;
        hasValue[depth] = false;
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (hasValue[depth]) {
            sb.append(',');
        }
        hasValue[depth] = true;
    }
}
