package io.supportroi.generate;

import io.supportroi.config.BadInput;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The landing layout the generator owns, and file access through the Hadoop FileSystem API so that {@code --out} may
 * be a local folder, HDFS or an object store. Only the paths listed here are ever deleted: a landing folder may hold
 * other sources (CSV, another tool's Gorgias pages) that are not the generator's to touch; in the folders the
 * generator shares with such tools only files named the way it names its own are removed.
 */
final class LandingFiles {
    private LandingFiles() {}

    static final String TICKETS = "zendesk/tickets";
    static final String TICKET_METRICS = "zendesk/ticket_metrics";
    static final String USERS = "zendesk/users";
    static final String ORDERS = "shopify/orders";
    static final String STRIPE_EVENTS = "stripe/events";
    static final String GORGIAS_TICKETS = "gorgias/tickets";
    static final String GORGIAS_SURVEYS = "gorgias/satisfaction_surveys";
    static final String CSV_TICKETS = "csv/tickets";
    static final String CSV_ORDERS = "csv/orders";
    static final String CSV_BILLING = "csv/billing";
    static final String REFERENCE = "reference";
    static final String AGENTS_CSV = REFERENCE + "/agents.csv";
    static final String COSTS_CSV = REFERENCE + "/costs.csv";
    static final String PRODUCTS_CSV = REFERENCE + "/products.csv";
    static final String CLAIMS_CSV = REFERENCE + "/claims.csv";
    static final String GROUND_TRUTH = "ground_truth.json";
    /** Per-chunk claim rows before the driver concatenates them; starts with '_' so no ingest glob matches it. */
    static final String CLAIM_PARTS = "_generator_parts/claims";
    private static final String PARTS_ROOT = "_generator_parts";
    /**
     * Present while a run is under way (removed with the parts at the end): a run that failed half-way leaves a folder
     * without ground_truth.json, and this marker lets the next run recognise it as its own and replace it.
     */
    private static final String IN_PROGRESS = PARTS_ROOT + "/IN_PROGRESS";

    static final List<String> OWNED_DIRS = List.of(TICKETS, TICKET_METRICS, USERS, ORDERS, STRIPE_EVENTS, PARTS_ROOT);
    static final List<String> OWNED_FILES = List.of(AGENTS_CSV, COSTS_CSV, PRODUCTS_CSV, CLAIMS_CSV);
    /** Folders the generator writes into but does not own: only its own page files there are replaced. */
    static final List<String> SHARED_DIRS = List.of(GORGIAS_TICKETS, GORGIAS_SURVEYS, CSV_TICKETS, CSV_ORDERS,
            CSV_BILLING);
    /** The names {@link #pageName} gives. */
    static final Pattern GENERATED_PAGE = Pattern.compile("[a-z_]+-c\\d{5}-p\\d{4}\\.(json|jsonl|csv)");

    /**
     * A private FileSystem instance (close it when done) that writes no {@code .crc} side files: checksums would
     * litter the landing folder, and switching them off on the JVM-wide cached instance would change other writers.
     */
    static FileSystem open(String root, Configuration conf) throws IOException {
        Path path = new Path(root);
        FileSystem fs = FileSystem.newInstance(path.toUri(), conf);
        fs.setWriteChecksum(false);
        return fs;
    }

    /**
     * Makes {@code out} ready: created when missing; refused when it is a file or a non-empty folder that is not a
     * previous (complete or interrupted) generator output; otherwise the previous output is removed (ground_truth.json
     * first, so an interrupted clean-up never leaves a folder that looks complete) and the run is marked in progress.
     */
    static void prepare(FileSystem fs, Path out) throws IOException {
        if (fs.exists(out)) {
            FileStatus status = fs.getFileStatus(out);
            if (!status.isDirectory()) {
                throw new BadInput("generate: --out " + out + " exists and is not a folder");
            }
            FileStatus[] children = fs.listStatus(out);
            Path truth = new Path(out, GROUND_TRUTH);
            boolean ours = fs.exists(truth) || fs.exists(new Path(out, IN_PROGRESS));
            if (children.length > 0 && !ours) {
                throw new BadInput("generate: --out " + out + " is not empty and holds no "
                        + GROUND_TRUTH + ", so it is not a previous generator output; refusing to write into it "
                        + "(choose an empty or new folder)");
            }
            fs.delete(truth, false);
            for (String dir : OWNED_DIRS) {
                fs.delete(new Path(out, dir), true);
            }
            for (String file : OWNED_FILES) {
                fs.delete(new Path(out, file), false);
            }
            for (String dir : SHARED_DIRS) {
                Path folder = new Path(out, dir);
                if (fs.isDirectory(folder)) {
                    for (FileStatus f : fs.listStatus(folder)) {
                        if (f.isFile() && GENERATED_PAGE.matcher(f.getPath().getName()).matches()) {
                            fs.delete(f.getPath(), false);
                        }
                    }
                }
            }
        }
        fs.mkdirs(out);
        writeText(fs, new Path(out, IN_PROGRESS), "supportroi generate is writing this folder\n");
    }

    static void writeText(FileSystem fs, Path file, CharSequence text) throws IOException {
        write(fs, file, os -> os.write(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** What writes a file's bytes. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code file} whole or not at all: under a name starting with '_', which no ingest reads, then renamed
     * into place. A nightly run that lists the folder while the generator is still writing sees each file complete
     * or not yet there, never cut off where a buffer ended.
     */
    static void write(FileSystem fs, Path file, Body body) throws IOException {
        Path partial = new Path(file.getParent(), "_" + file.getName() + ".partial");
        try (OutputStream os = new BufferedOutputStream(fs.create(partial, true), 1 << 16)) {
            body.writeTo(os);
        }
        if (!fs.rename(partial, file)) {
            // Some file systems (HDFS) do not rename onto an existing file: the previous version goes first.
            fs.delete(file, false);
            if (!fs.rename(partial, file)) {
                throw new IOException("cannot move " + partial + " to " + file);
            }
        }
    }

    /** Appends the bytes of {@code part} to {@code target}, streaming. */
    static void copy(FileSystem fs, Path part, OutputStream target) throws IOException {
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = fs.open(part)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                target.write(buffer, 0, n);
            }
        }
    }

    static Path partsRoot(Path out) {
        return new Path(out, PARTS_ROOT);
    }

    /** {@code tickets-c00003-p0001.json}: chunk and page numbers fixed-width, so names sort in writing order. */
    static String pageName(String prefix, int chunk, int page, String extension) {
        return String.format(Locale.ROOT, "%s-c%05d-p%04d.%s", prefix, chunk, page, extension);
    }
}
