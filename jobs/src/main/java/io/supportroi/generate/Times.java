package io.supportroi.generate;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;

/**
 * Time arithmetic on epoch seconds. The simulator formats tens of millions of timestamps for a large business, so
 * ISO-8601 text is produced by hand (civil-from-days) rather than through {@code DateTimeFormatter}; the test suite
 * checks it against {@code java.time}.
 */
final class Times {
    private Times() {}

    static final long MINUTE = 60L;
    static final long HOUR = 3_600L;
    static final long DAY = 86_400L;

    /** The shop's time zone: Shopify reports {@code created_at} with this zone's offset (DST included). */
    static final ZoneId SHOP_ZONE = ZoneId.of("America/New_York");
    private static final ZoneRules SHOP_RULES = SHOP_ZONE.getRules();

    /**
     * The helpdesk's business schedule, Monday to Friday 14:00-22:00 UTC (09:00-17:00 New York standard time). It is
     * kept in UTC so that business minutes do not jump at DST changes; only the {@code business} halves of Zendesk's
     * metric objects use it, and nothing downstream relies on them.
     */
    private static final long BUSINESS_OPEN = 14 * HOUR;
    private static final long BUSINESS_CLOSE = 22 * HOUR;

    static long epochSecond(LocalDate date) {
        return date.toEpochDay() * DAY;
    }

    static String utc(long epochSecond) {
        StringBuilder sb = new StringBuilder(20);
        appendUtc(sb, epochSecond);
        return sb.toString();
    }

    static String shop(long epochSecond) {
        StringBuilder sb = new StringBuilder(25);
        appendShop(sb, epochSecond);
        return sb.toString();
    }

    /** {@code 2025-03-14T10:15:00Z}. */
    static void appendUtc(StringBuilder sb, long epochSecond) {
        appendLocal(sb, epochSecond);
        sb.append('Z');
    }

    /** {@code 2025-03-14T06:15:00-04:00}: local time in the shop's zone with its offset at that instant. */
    static void appendShop(StringBuilder sb, long epochSecond) {
        ZoneOffset offset = SHOP_RULES.getOffset(Instant.ofEpochSecond(epochSecond));
        appendOffset(sb, epochSecond, offset.getTotalSeconds());
    }

    /**
     * The instant as local time at a fixed UTC offset with that offset spelled out, {@code +00:00} for UTC (the way
     * Python's {@code isoformat} writes a whole-second time, as Gorgias does): the same instant for any offset.
     */
    static void appendOffset(StringBuilder sb, long epochSecond, int offsetSeconds) {
        appendLocal(sb, epochSecond + offsetSeconds);
        sb.append(offsetSeconds < 0 ? '-' : '+');
        int abs = Math.abs(offsetSeconds);
        pad2(sb, abs / 3600);
        sb.append(':');
        pad2(sb, (abs / 60) % 60);
    }

    /** Day of the month (1-31) of the instant in UTC. */
    static int utcDayOfMonth(long epochSecond) {
        long[] ymd = civil(Math.floorDiv(epochSecond, DAY));
        return (int) ymd[2];
    }

    /**
     * Whole minutes of {@code [from, to)} inside the business schedule (rounded down), as Zendesk reports the
     * {@code business} value of a metric.
     */
    static long businessMinutes(long from, long to) {
        if (to <= from) {
            return 0;
        }
        long seconds = 0;
        long lastDay = Math.floorDiv(to - 1, DAY);
        for (long day = Math.floorDiv(from, DAY); day <= lastDay; day++) {
            // 1970-01-01 was a Thursday: with Monday = 0 that is 3.
            int dayOfWeek = (int) Math.floorMod(day + 3, 7);
            if (dayOfWeek >= 5) {
                continue;
            }
            long open = Math.max(from, day * DAY + BUSINESS_OPEN);
            long close = Math.min(to, day * DAY + BUSINESS_CLOSE);
            if (close > open) {
                seconds += close - open;
            }
        }
        return seconds / MINUTE;
    }

    private static void appendLocal(StringBuilder sb, long localSecond) {
        long day = Math.floorDiv(localSecond, DAY);
        int secondOfDay = (int) Math.floorMod(localSecond, DAY);
        appendDate(sb, day);
        sb.append('T');
        pad2(sb, secondOfDay / 3600);
        sb.append(':');
        pad2(sb, (secondOfDay / 60) % 60);
        sb.append(':');
        pad2(sb, secondOfDay % 60);
    }

    private static void appendDate(StringBuilder sb, long epochDay) {
        long[] ymd = civil(epochDay);
        // GeneratorOptions keeps every simulated year at four digits.
        sb.append(ymd[0]);
        sb.append('-');
        pad2(sb, (int) ymd[1]);
        sb.append('-');
        pad2(sb, (int) ymd[2]);
    }

    /** Proleptic Gregorian year, month, day of an epoch day (H. Hinnant's civil_from_days). */
    private static long[] civil(long epochDay) {
        long z = epochDay + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long year = yearOfEra + era * 400;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        long day = dayOfYear - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        if (month <= 2) {
            year++;
        }
        return new long[] {year, month, day};
    }

    private static void pad2(StringBuilder sb, int v) {
        if (v < 10) {
            sb.append('0');
        }
        sb.append(v);
    }
}
