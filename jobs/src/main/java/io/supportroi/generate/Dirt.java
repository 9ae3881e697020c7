package io.supportroi.generate;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The decisions of {@code --dirty} for one chunk: which records are written messily, which files are repeated, where
 * broken records go. They come from the chunk's own random stream, never from a customer's, so the simulated business
 * (and the {@code expected} block of ground_truth.json) is the same clean or dirty, and the dirt itself is the same
 * for a seed whatever the number of cores.
 *
 * <p>Two kinds of dirt. Repairable: the pipeline must turn it back into exactly the clean silver tables (duplicate
 * Stripe events, billing attempts, pages and CSV files; file names not in time order; earlier versions of tickets
 * re-sent before the final one; emails in another case, with a {@code +tag} or surrounding spaces; order timestamps
 * at another UTC offset for the same instant; prices as numbers). Unrepairable: extra records that cannot be read,
 * lack what makes them a record or break a check of their format; they carry ids no real entity has, and
 * ground_truth.json lists each one where it sits.
 */
final class Dirt {
    /** Stream index of chunk k's dirt: negative, so it never coincides with a customer's or the agents' stream. */
    static final long STREAM_BASE = -1_000_000L;

    static final double P_RESEND_TICKET = 0.04;
    static final double P_MIXED_CASE_EMAIL = 0.04;
    static final double P_PLUS_TAG_EMAIL = 0.03;
    static final double P_WHITESPACE_EMAIL = 0.02;
    static final double P_DUPLICATE_EVENT = 0.01;
    /** Share of duplicate Stripe events redelivered into a file of their own rather than later in the same file. */
    static final double P_DUPLICATE_IN_OTHER_FILE = 0.4;
    static final double P_ORDER_OTHER_OFFSET = 0.10;
    static final double P_ORDER_NUMERIC_PRICES = 0.10;
    /**
     * Page and CSV files of a source repeated under another name: this share of them, and in every
     * {@link #COPY_EVERY_CHUNKS}-th chunk at least one (a chunk often has a single file of a source: copying one in
     * every chunk would double the data).
     */
    static final double DUPLICATE_PAGE_SHARE = 0.03;
    static final int COPY_EVERY_CHUNKS = 8;
    /**
     * Broken records go into every chunk whose number is a multiple of this (chunk 0 always): enough of each kind in
     * any output, and a list in ground_truth.json that stays small for millions of customers.
     */
    static final int JUNK_EVERY_CHUNKS = 8;

    static final String[] PLUS_TAGS = {"shop", "box", "orders", "fernwood"};
    /** Fixed offsets other export tools write order times in (same instants): UTC, Europe, India, Pacific, Japan. */
    static final int[] OTHER_OFFSETS = {0, 3600, 19800, -7 * 3600, 9 * 3600};

    /** The repairable kinds counted in ground_truth.json's {@code dirty.repairable}. */
    enum Repair {
        DUPLICATE_STRIPE_EVENTS_SAME_FILE,
        DUPLICATE_STRIPE_EVENTS_OTHER_FILE,
        /** The same renewal attempt on two rows of the billing CSV. */
        DUPLICATE_BILLING_ATTEMPTS,
        /** Page or CSV files written a second time under another name. */
        DUPLICATE_FILES,
        /** Page or CSV files whose number is not their place in time order. */
        FILES_OUT_OF_ORDER,
        RESENT_ZENDESK_TICKETS,
        RESENT_ZENDESK_TICKET_METRICS,
        RESENT_GORGIAS_TICKETS,
        RESENT_CSV_TICKETS,
        MIXED_CASE_EMAILS,
        PLUS_TAG_EMAILS,
        WHITESPACE_EMAILS,
        /** Orders (Shopify or CSV) with every time at another UTC offset than the shop's, the same instants. */
        ORDERS_OTHER_UTC_OFFSET,
        /** Orders with money as JSON numbers (Shopify) or in its shortest form (CSV: 39, 12.5). */
        ORDERS_NUMERIC_PRICES;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What is wrong with a broken record. */
    enum Defect {
        /** Not valid JSON: a line cut off, or an unescaped quote inside a text field. */
        MALFORMED_JSON,
        /** A field the ingest requires is absent ({@code field} names it). */
        MISSING_REQUIRED_FIELD,
        /** A timestamp no ISO-8601 reader accepts ({@code field} names it). */
        UNPARSEABLE_TIMESTAMP,
        /** A Zendesk ticket whose {@code requester_id} is null: nobody to attribute it to. */
        MISSING_REQUESTER,
        /** A CSV value its format forbids ({@code field} names the column): a csat word, an amount, an outcome. */
        FAILED_CHECK,
        /** A CSV row with one cell more than the header: an unquoted comma in a name. */
        WRONG_CELL_COUNT;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One planted broken record: bronze source name, file relative to the landing root, and its position as the
     * ingest's record splitter counts it (1-based line; 0-based index among the file's records, which for a page is
     * the element's index in the page array).
     */
    record Planted(String source, String file, long line, long recordIndex, String defect, String field, String id)
            implements Serializable {}

    /** A page or CSV file written a second time under another name. */
    record PageCopy(String source, String file, String copyOf) implements Serializable {}

    final int chunk;
    private final SplittableRandom rng;
    private final List<String> plusTagDomains;
    final long[] repairs = new long[Repair.values().length];
    /** Broken records built so far per id range, so each gets the next junk id of the chunk. */
    private final int[] junkNumbers = new int[Junk.Kind.values().length];

    Dirt(Business b, int chunk) {
        this.chunk = chunk;
        this.rng = Rng.forStream(b.seed, STREAM_BASE - chunk);
        this.plusTagDomains = b.plusTagDomains;
    }

    void count(Repair r, long n) {
        repairs[r.ordinal()] += n;
    }

    int pick(int bound) {
        return rng.nextInt(bound);
    }

    /** Whether this chunk plants broken records. */
    boolean plantsJunk() {
        return chunk % JUNK_EVERY_CHUNKS == 0;
    }

    /** The next broken-record number of the chunk for {@code kind} (its junk id). */
    int nextJunk(Junk.Kind kind) {
        return junkNumbers[kind.ordinal()]++;
    }

    /**
     * The customer as one export writes them: usually as is, sometimes with the email in other letter case, with a
     * {@code +tag} (only on domains the pipeline strips tags on) or with spaces around it. One draw per record.
     */
    CustomerProfile customer(CustomerProfile c) {
        String email = email(c.email());
        return email.equals(c.email()) ? c : new CustomerProfile(c.index(), c.firstName(), c.lastName(), email,
                c.subscriber(), c.signupAt(), c.renewalOffsetSec());
    }

    String email(String clean) {
        double u = rng.nextDouble();
        int at = clean.indexOf('@');
        if (u < P_MIXED_CASE_EMAIL) {
            count(Repair.MIXED_CASE_EMAILS, 1);
            return u < P_MIXED_CASE_EMAIL / 2 ? clean.toUpperCase(Locale.ROOT) : capitalised(clean);
        }
        u -= P_MIXED_CASE_EMAIL;
        if (u < P_PLUS_TAG_EMAIL && at > 0 && plusTagDomains.contains(clean.substring(at + 1))) {
            count(Repair.PLUS_TAG_EMAILS, 1);
            return clean.substring(0, at) + "+" + PLUS_TAGS[rng.nextInt(PLUS_TAGS.length)] + clean.substring(at);
        }
        u -= P_PLUS_TAG_EMAIL;
        if (u < P_WHITESPACE_EMAIL) {
            count(Repair.WHITESPACE_EMAILS, 1);
            // Spaces only: what a spreadsheet or a form leaves behind (and what SQL's trim removes).
            return u < P_WHITESPACE_EMAIL / 2 ? " " + clean : clean + "  ";
        }
        return clean;
    }

    /** {@code olivia.smith12@gmail.com -> Olivia.Smith12@Gmail.Com}: every word's first letter up. */
    static String capitalised(String email) {
        StringBuilder sb = new StringBuilder(email.length());
        boolean wordStart = true;
        for (int i = 0; i < email.length(); i++) {
            char ch = email.charAt(i);
            sb.append(wordStart ? Character.toUpperCase(ch) : ch);
            wordStart = ch == '.' || ch == '@';
        }
        return sb.toString();
    }

    /** Whether this ticket is also exported in an earlier state before its final one. */
    boolean resend() {
        return rng.nextDouble() < P_RESEND_TICKET;
    }

    /** How the export tool wrote this order (Shopify JSON or the orders CSV). */
    ShopifyJson.Style shopStyle() {
        boolean otherOffset = rng.nextDouble() < P_ORDER_OTHER_OFFSET;
        boolean numeric = rng.nextDouble() < P_ORDER_NUMERIC_PRICES;
        int offset = OTHER_OFFSETS[rng.nextInt(OTHER_OFFSETS.length)];
        if (otherOffset) {
            count(Repair.ORDERS_OTHER_UTC_OFFSET, 1);
        }
        if (numeric) {
            count(Repair.ORDERS_NUMERIC_PRICES, 1);
        }
        return otherOffset || numeric
                ? new ShopifyJson.Style(!otherOffset, offset, numeric) : ShopifyJson.Style.SHOPIFY;
    }

    static final int NOT_DUPLICATED = 0;
    static final int SAME_FILE = 1;
    static final int OTHER_FILE = 2;

    /** Whether a Stripe event is delivered twice, and where the second copy lands. */
    int duplicateEvent() {
        if (rng.nextDouble() >= P_DUPLICATE_EVENT) {
            return NOT_DUPLICATED;
        }
        if (rng.nextDouble() < P_DUPLICATE_IN_OTHER_FILE) {
            count(Repair.DUPLICATE_STRIPE_EVENTS_OTHER_FILE, 1);
            return OTHER_FILE;
        }
        count(Repair.DUPLICATE_STRIPE_EVENTS_SAME_FILE, 1);
        return SAME_FILE;
    }

    static final double P_DUPLICATE_ATTEMPT = 0.02;

    /** Whether a renewal attempt row of the billing CSV is exported a second time. */
    boolean duplicateAttempt() {
        if (rng.nextDouble() >= P_DUPLICATE_ATTEMPT) {
            return false;
        }
        count(Repair.DUPLICATE_BILLING_ATTEMPTS, 1);
        return true;
    }

    /** How much later than the original a redelivered event is exported: one minute to three days. */
    long redeliveryDelay() {
        return Times.MINUTE + rng.nextLong(3 * Times.DAY);
    }

    /**
     * File numbers (1-based) of a source's pages in stream order: a random permutation, so that file names no longer
     * sort in time order. Pages whose number moved are counted.
     */
    int[] pageNumbers(int pages) {
        int[] numbers = new int[pages];
        for (int i = 0; i < pages; i++) {
            numbers[i] = i + 1;
        }
        for (int i = pages - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = numbers[i];
            numbers[i] = numbers[j];
            numbers[j] = tmp;
        }
        long moved = 0;
        for (int i = 0; i < pages; i++) {
            if (numbers[i] != i + 1) {
                moved++;
            }
        }
        count(Repair.FILES_OUT_OF_ORDER, moved);
        return numbers;
    }

    /** Stream positions of the files written a second time (distinct, ascending). */
    int[] pagesToCopy(int pages) {
        if (pages == 0) {
            return new int[0];
        }
        int copies = (int) Math.round(pages * DUPLICATE_PAGE_SHARE);
        if (copies == 0 && chunk % COPY_EVERY_CHUNKS == 0) {
            copies = 1;
        }
        if (copies == 0) {
            return new int[0];
        }
        boolean[] chosen = new boolean[pages];
        int picked = 0;
        while (picked < copies) {
            int p = rng.nextInt(pages);
            if (!chosen[p]) {
                chosen[p] = true;
                picked++;
            }
        }
        int[] out = new int[copies];
        int k = 0;
        for (int p = 0; p < pages; p++) {
            if (chosen[p]) {
                out[k++] = p;
            }
        }
        count(Repair.DUPLICATE_FILES, copies);
        return out;
    }
}
