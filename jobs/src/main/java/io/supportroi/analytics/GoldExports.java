package io.supportroi.analytics;

import io.supportroi.analytics.worklists.TicketPriorityQueue;
import io.supportroi.analytics.worklists.TopCustomersByOpenTickets;
import io.supportroi.analytics.worklists.UpsellWorklist;
import io.supportroi.analytics.worklists.WinbackWorklist;
import io.supportroi.ops.KeyedHash;
import io.supportroi.ops.TableRef;
import io.supportroi.ops.Warehouse;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.apache.spark.sql.functions.col;

/**
 * The I/O edge of gold for people and tools outside Spark: each gold table as one CSV file,
 * {@code ${warehouse}/exports/<as-of>/<table>.csv} (spreadsheets), and as a Parquet snapshot,
 * {@code ${warehouse}/exports/<as-of>/parquet/<table>/} (BI tools, DuckDB). The CSV is written on the driver from a
 * streaming iterator (one partition in memory at a time), so it is a single plain file rather than Spark's folder
 * of part files.
 */
public final class GoldExports {
    private GoldExports() {}

    public static final String EXPORTS_DIR = "exports";

    /**
     * Columns that name a person: support reads them in the gold worklists; exports, which go to analysts and BI
     * tools, never carry them.
     */
    public static final Set<String> PERSONAL = Set.copyOf(List.of(WinbackWorklist.EMAIL, WinbackWorklist.NAME,
            UpsellWorklist.EMAIL, UpsellWorklist.NAME));
    /** The customer id is a plain hash of the email, which anyone holding a list of emails can match. */
    public static final Set<String> CUSTOMER = Set.copyOf(List.of(WinbackWorklist.CUSTOMER_ID,
            UpsellWorklist.CUSTOMER_ID, TicketPriorityQueue.CUSTOMER_ID, TopCustomersByOpenTickets.CUSTOMER_ID));
    /** What stands for the customer in exports: HMAC-SHA256 of the customer id under SUPPORTROI_HASH_KEY. */
    public static final String CUSTOMER_KEY = "customer_key";

    /** A table as exported, and the order of its CSV rows. */
    public record ForAnalysts(Dataset<Row> rows, List<String> order, boolean customerLeftOut) {}

    /**
     * The table as analysts may see it: personal columns dropped; the customer id replaced by a keyed hash, the
     * same for the same customer in every table and night under one key, or, without a key, left out.
     */
    public static ForAnalysts forAnalysts(Dataset<Row> rows, List<String> order, Optional<byte[]> key) {
        List<Column> out = new ArrayList<>();
        boolean leftOut = false;
        for (String c : rows.columns()) {
            if (CUSTOMER.contains(c)) {
                if (key.isPresent()) {
                    out.add(KeyedHash.hmacSha256Hex(col(c), key.get()).as(CUSTOMER_KEY));
                } else {
                    leftOut = true;
                }
            } else if (!PERSONAL.contains(c)) {
                out.add(col(c));
            }
        }
        List<String> newOrder = order.stream()
                .map(c -> CUSTOMER.contains(c) && key.isPresent() ? CUSTOMER_KEY : c)
                .filter(c -> !PERSONAL.contains(c) && !CUSTOMER.contains(c))
                .toList();
        return new ForAnalysts(rows.select(out.toArray(Column[]::new)), newOrder, leftOut);
    }

    /** {@code ${warehouse}/exports/<as-of>}. */
    public static Path folder(String warehouseRoot, LocalDate asOf) {
        return new Path(warehouseRoot + "/" + EXPORTS_DIR + "/" + asOf);
    }

    public static Path file(String warehouseRoot, LocalDate asOf, TableRef table) {
        return new Path(folder(warehouseRoot, asOf), table.name() + ".csv");
    }

    public static final String PARQUET_DIR = "parquet";

    /** {@code ${warehouse}/exports/<as-of>/parquet/<table>}. */
    public static Path parquet(String warehouseRoot, LocalDate asOf, TableRef table) {
        return new Path(new Path(folder(warehouseRoot, asOf), PARQUET_DIR), table.name());
    }

    /**
     * Replaces one table's Parquet snapshot: written beside it, then swapped in, so a re-run of the same night
     * replaces it and a failed write leaves the previous snapshot whole. One file: gold tables are small, and a BI
     * tool reads one file fastest.
     */
    public static void writeParquet(Warehouse wh, LocalDate asOf, TableRef table, Dataset<Row> rows) {
        Path target = parquet(wh.root(), asOf, table);
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        try {
            FileSystem fs = wh.fileSystem();
            fs.delete(tmp, true);
            rows.coalesce(1).write().option("compression", "snappy").parquet(tmp.toString());
            for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(tmp)) {
                String name = f.getPath().getName();
                if (name.startsWith(".") || name.startsWith("_")) {
                    fs.delete(f.getPath(), false);
                }
            }
            swapIn(fs, tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("exporting " + table + " to " + target, e);
        }
    }

    /** Replaces {@code target} (a file or a folder) with {@code tmp}, written beside it. */
    private static void swapIn(FileSystem fs, Path tmp, Path target) throws IOException {
        if (fs.exists(target) && !fs.delete(target, true)) {
            throw new IOException("cannot replace " + target);
        }
        if (!fs.rename(tmp, target)) {
            throw new IOException("cannot rename " + tmp + " to " + target);
        }
    }

    /**
     * Writes (or rewrites) one list's file: header, then rows in {@code order}. The file is written beside its
     * target and renamed over it, so a re-run of the same night replaces it and a reader never sees half a file.
     *
     * @return rows written
     */
    public static long write(Warehouse wh, LocalDate asOf, TableRef table, Dataset<Row> rows, List<String> order) {
        Path target = file(wh.root(), asOf, table);
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        long n = 0;
        try {
            FileSystem fs = plain(wh.fileSystem());
            fs.mkdirs(target.getParent());
            try (FSDataOutputStream out = fs.create(tmp, true);
                 Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
                writeLine(w, rows.columns());
                // One sorted partition: the iterator then costs one job, where a global sort costs a sampling job
                // and then one job per shuffle partition.
                Iterator<Row> it = rows.coalesce(1).sortWithinPartitions(order.stream()
                        .map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new))
                        .toLocalIterator();
                String[] cells = new String[rows.columns().length];
                while (it.hasNext()) {
                    Row r = it.next();
                    for (int i = 0; i < cells.length; i++) {
                        cells[i] = cell(r.get(i));
                    }
                    writeLine(w, cells);
                    n++;
                }
            }
            swapIn(fs, tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("exporting " + table + " to " + target, e);
        }
        return n;
    }

    /**
     * The local file system keeps a hidden {@code .crc} beside every file it writes: noise in a folder people open.
     * Its raw file system underneath writes the file alone. Object stores have no such files.
     */
    private static FileSystem plain(FileSystem fs) {
        return fs instanceof ChecksumFileSystem checksummed ? checksummed.getRawFileSystem() : fs;
    }

    /** RFC 4180 line; CRLF as the RFC and spreadsheet imports expect. */
    private static void writeLine(Writer w, String[] cells) throws IOException {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                w.write(',');
            }
            w.write(quote(cells[i]));
        }
        w.write("\r\n");
    }

    static String quote(String s) {
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    /** Null is an empty cell; timestamps are ISO-8601 UTC; money keeps its two decimals. */
    static String cell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Timestamp t) {
            return t.toInstant().toString();
        }
        if (v instanceof Instant i) {
            return i.toString();
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        }
        if (v instanceof BigDecimal b) {
            return b.toPlainString();
        }
        if (v instanceof String s) {
            return defuse(s);
        }
        return String.valueOf(v);
    }

    /**
     * A name or email is typed by the customer; one starting with = + - @ would run as a formula when a spreadsheet
     * opens the file (CSV injection). A leading apostrophe makes the spreadsheet show it as text.
     */
    static String defuse(String s) {
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            return "'" + s;
        }
        return s;
    }
}
