package io.supportroi.cli;

import picocli.CommandLine;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** Checks of numeric and date arguments, each failing with a one-line UsageException that names the option. */
final class Arguments {
    private Arguments() {}

    static void atLeastOne(String option, long value) {
        if (value < 1) {
            throw new UsageException(option + " must be at least 1, got " + value);
        }
    }

    static void notNegative(String option, long value) {
        if (value < 0) {
            throw new UsageException(option + " must be 0 or more, got " + value);
        }
    }

    /**
     * Picocli's converter for dates. Its own (by reflection) reports "cannot convert" with the Java exception's name;
     * this one says what is wrong with the date: 2025-02-30 has no such day, 2025-13-01 no such month.
     */
    static LocalDate date(String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            // The cause says what is impossible ("Invalid date 'FEBRUARY 30'"); a text that is no date has none.
            Throwable reason = e.getCause();
            throw new CommandLine.TypeConversionException("'" + text + "' is not a date YYYY-MM-DD"
                    + (reason == null || reason.getMessage() == null ? "" : " (" + reason.getMessage() + ")"));
        }
    }
}
