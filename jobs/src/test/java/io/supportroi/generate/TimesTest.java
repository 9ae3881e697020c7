package io.supportroi.generate;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TimesTest {

    @Test
    void hand_written_formatting_matches_java_time_including_dst_changes() {
        SplittableRandom rng = new SplittableRandom(7);
        long from = Instant.parse("1999-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2031-01-01T00:00:00Z").getEpochSecond();
        DateTimeFormatter offsetFormat = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        for (int i = 0; i < 20_000; i++) {
            long t = from + rng.nextLong(to - from);
            assertThat(Times.utc(t)).isEqualTo(Instant.ofEpochSecond(t).toString());
            assertThat(Times.shop(t)).isEqualTo(
                    ZonedDateTime.ofInstant(Instant.ofEpochSecond(t), Times.SHOP_ZONE).format(offsetFormat));
        }
        // Around the 2025 spring-forward and fall-back instants the offset flips between -05:00 and -04:00.
        assertThat(Times.shop(Instant.parse("2025-03-09T06:59:59Z").getEpochSecond()))
                .isEqualTo("2025-03-09T01:59:59-05:00");
        assertThat(Times.shop(Instant.parse("2025-03-09T07:00:00Z").getEpochSecond()))
                .isEqualTo("2025-03-09T03:00:00-04:00");
        assertThat(Times.shop(Instant.parse("2025-11-02T06:00:00Z").getEpochSecond()))
                .isEqualTo("2025-11-02T01:00:00-05:00");
    }

    @Test
    void business_minutes_count_only_weekday_hours() {
        long monday = Instant.parse("2025-03-10T00:00:00Z").getEpochSecond();
        // Monday 13:00 to 15:30 UTC: the desk opens at 14:00, so 90 minutes.
        assertThat(Times.businessMinutes(monday + 13 * Times.HOUR, monday + 15 * Times.HOUR + 30 * 60)).isEqualTo(90);
        // A whole week holds five 8-hour days.
        assertThat(Times.businessMinutes(monday, monday + 7 * Times.DAY)).isEqualTo(5 * 8 * 60);
        // Saturday and Sunday count nothing.
        assertThat(Times.businessMinutes(monday + 5 * Times.DAY, monday + 7 * Times.DAY)).isZero();
        assertThat(Times.businessMinutes(monday + Times.DAY, monday)).isZero();
    }

    @Test
    void day_of_month_is_the_utc_day() {
        assertThat(Times.utcDayOfMonth(Instant.parse("2025-02-14T23:59:59Z").getEpochSecond())).isEqualTo(14);
        assertThat(Times.utcDayOfMonth(Instant.parse("2025-02-15T00:00:00Z").getEpochSecond())).isEqualTo(15);
        assertThat(Times.utcDayOfMonth(Instant.parse("2024-02-29T12:00:00Z").getEpochSecond())).isEqualTo(29);
    }
}
