package io.supportroi.ops;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** One line per stage on stderr, so stdout stays clean for results that scripts read. */
public final class Progress {
    private Progress() {}

    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static volatile boolean quiet = false;

    public static void setQuiet(boolean q) {
        quiet = q;
    }

    public static void line(String stage, String format, Object... args) {
        if (!quiet) {
            System.err.printf("%s [%s] %s%n", LocalTime.now().format(HMS), stage, String.format(format, args));
        }
    }
}
