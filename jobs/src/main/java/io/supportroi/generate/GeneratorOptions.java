package io.supportroi.generate;

import java.time.LocalDate;

/**
 * Arguments of {@code supportroi generate}. Checked here so that every caller (CLI, benchmark, tests) gets the same
 * clear message for a bad value instead of a failure deep inside a Spark task.
 *
 * @param out         landing folder to write (any Hadoop path)
 * @param customers   number of simulated customers
 * @param months      number of simulated months; the last simulated day is {@code start + months - 1 day}
 * @param start       first simulated day
 * @param seed        everything written is a function of the options, the seed included
 * @param effectsFile nullable: a JSON file whose object overrides the default planted effects (deep merge)
 */
public record GeneratorOptions(String out, int customers, int months, LocalDate start, long seed, String effectsFile) {

    /** Ids reserve a fixed range per customer; beyond this, ten years of Zendesk ticket ids would reach user ids. */
    public static final int MAX_CUSTOMERS = 30_000_000;
    /** Per-customer id strides grow with the calendar length; ten years keeps every id below 2^53 (safe in JSON). */
    public static final int MAX_MONTHS = 120;

    public GeneratorOptions {
        if (out == null || out.isBlank()) {
            throw new IllegalArgumentException("generate: --out is required");
        }
        if (customers < 1 || customers > MAX_CUSTOMERS) {
            throw new IllegalArgumentException(
                    "generate: --customers must be between 1 and " + MAX_CUSTOMERS + ", got " + customers);
        }
        if (months < 1 || months > MAX_MONTHS) {
            throw new IllegalArgumentException(
                    "generate: --months must be between 1 and " + MAX_MONTHS + ", got " + months);
        }
        if (start == null) {
            throw new IllegalArgumentException("generate: --start is required");
        }
        if (start.getYear() < 1971 || start.getYear() > 9000) {
            throw new IllegalArgumentException("generate: --start must be a date between 1971 and 9000, got " + start);
        }
        if (effectsFile != null && effectsFile.isBlank()) {
            effectsFile = null;
        }
    }

    /** Last simulated day: the natural {@code --as-of} of the generated data. */
    public LocalDate end() {
        return start.plusMonths(months).minusDays(1);
    }
}
