package io.supportroi.generate;

import io.supportroi.config.BadInput;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

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
 * @param helpdesk    which helpdesk's exports the tickets are written as (null: Zendesk)
 * @param shop        the shop's export the orders are written as (null: Shopify)
 * @param billing     the billing system's export the subscriptions are written as (null: Stripe)
 * @param dirty       write the exports the way real ones arrive (duplicates, re-sent versions, messy emails and
 *                    timestamps, plus a few broken records listed in ground_truth.json)
 *
 * <p>The simulated business, and so the {@code expected} block of ground_truth.json, does not depend on the formats
 * nor on {@code dirty}: they only change how the same records are written.
 */
public record GeneratorOptions(String out, int customers, int months, LocalDate start, long seed, String effectsFile,
                               Helpdesk helpdesk, Shop shop, Billing billing, boolean dirty) {

    /** Ids reserve a fixed range per customer; beyond this, ten years of Zendesk ticket ids would reach user ids. */
    public static final int MAX_CUSTOMERS = 30_000_000;
    /** Per-customer id strides grow with the calendar length; ten years keeps every id below 2^53 (safe in JSON). */
    public static final int MAX_MONTHS = 120;

    /**
     * Where the tickets are written: one helpdesk, a migration from Zendesk to Gorgias half-way through, or the
     * canonical tickets CSV (docs/formats.md).
     */
    public enum Helpdesk {
        ZENDESK, GORGIAS,
        /** Tickets created before the middle of the period in Zendesk, the rest in Gorgias. */
        BOTH,
        CSV;

        /** The CLI spelling: {@code zendesk}, {@code gorgias}, {@code both}, {@code csv}. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean writesZendesk() {
            return this == ZENDESK || this == BOTH;
        }

        public boolean writesGorgias() {
            return this == GORGIAS || this == BOTH;
        }

        public static Helpdesk parse(String text) {
            return parseChoice("--helpdesk", values(), text);
        }
    }

    /** Where the orders are written: Shopify's order export or the canonical orders CSV. */
    public enum Shop {
        SHOPIFY, CSV;

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Shop parse(String text) {
            return parseChoice("--shop", values(), text);
        }
    }

    /** Where subscriptions and renewals are written: Stripe events or the canonical billing CSV. */
    public enum Billing {
        STRIPE, CSV;

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Billing parse(String text) {
            return parseChoice("--billing", values(), text);
        }
    }

    /** Case-insensitive; an unknown word is refused with the list of valid ones. */
    private static <E extends Enum<E>> E parseChoice(String option, E[] values, String text) {
        if (text != null) {
            for (E v : values) {
                if (v.name().equalsIgnoreCase(text.strip())) {
                    return v;
                }
            }
        }
        throw new BadInput("generate: " + option + " must be one of "
                + Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                + ", got " + text);
    }

    /** The original six arguments: Zendesk, Shopify and Stripe exports, clean. */
    public GeneratorOptions(String out, int customers, int months, LocalDate start, long seed, String effectsFile) {
        this(out, customers, months, start, seed, effectsFile, Helpdesk.ZENDESK, Shop.SHOPIFY, Billing.STRIPE, false);
    }

    public GeneratorOptions {
        if (out == null || out.isBlank()) {
            throw new BadInput("generate: --out is required");
        }
        if (customers < 1 || customers > MAX_CUSTOMERS) {
            throw new BadInput(
                    "generate: --customers must be between 1 and " + MAX_CUSTOMERS + ", got " + customers);
        }
        if (months < 1 || months > MAX_MONTHS) {
            throw new BadInput(
                    "generate: --months must be between 1 and " + MAX_MONTHS + ", got " + months);
        }
        if (start == null) {
            throw new BadInput("generate: --start is required");
        }
        if (start.getYear() < 1971 || start.getYear() > 9000) {
            throw new BadInput("generate: --start must be a date between 1971 and 9000, got " + start);
        }
        if (effectsFile != null && effectsFile.isBlank()) {
            effectsFile = null;
        }
        if (helpdesk == null) {
            helpdesk = Helpdesk.ZENDESK;
        }
        if (shop == null) {
            shop = Shop.SHOPIFY;
        }
        if (billing == null) {
            billing = Billing.STRIPE;
        }
    }

    /** The same options with another helpdesk. */
    public GeneratorOptions withHelpdesk(Helpdesk value) {
        return new GeneratorOptions(out, customers, months, start, seed, effectsFile, value, shop, billing, dirty);
    }

    /** The same options with another shop export. */
    public GeneratorOptions withShop(Shop value) {
        return new GeneratorOptions(out, customers, months, start, seed, effectsFile, helpdesk, value, billing, dirty);
    }

    /** The same options with another billing export. */
    public GeneratorOptions withBilling(Billing value) {
        return new GeneratorOptions(out, customers, months, start, seed, effectsFile, helpdesk, shop, value, dirty);
    }

    /** The same options, dirty or clean. */
    public GeneratorOptions withDirty(boolean value) {
        return new GeneratorOptions(out, customers, months, start, seed, effectsFile, helpdesk, shop, billing, value);
    }

    /** The same options writing into another folder. */
    public GeneratorOptions withOut(String value) {
        return new GeneratorOptions(value, customers, months, start, seed, effectsFile, helpdesk, shop, billing,
                dirty);
    }

    /** Last simulated day: the natural {@code --as-of} of the generated data. */
    public LocalDate end() {
        return start.plusMonths(months).minusDays(1);
    }

    /**
     * First day whose tickets are in Gorgias when {@link Helpdesk#BOTH}: the middle of the simulated period (day
     * {@code floor(days / 2)} counted from {@code start}), so each helpdesk holds about half of it.
     */
    public LocalDate helpdeskSwitchDate() {
        long days = end().toEpochDay() - start.toEpochDay() + 1;
        return start.plusDays(days / 2);
    }
}
