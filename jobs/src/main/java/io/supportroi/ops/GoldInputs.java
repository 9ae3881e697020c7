package io.supportroi.ops;

import io.supportroi.config.Settings;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Date;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * {@code ops.gold_inputs}: what gold was last computed from — silver's table versions, the requested as-of, the
 * settings and the build of the code — as one fingerprint. Gold is a pure function of those, so when the next run
 * finds the same fingerprint and every table still there, recomputing it would only reproduce it: the run skips
 * the gold stage, and re-running a night costs seconds. A build whose identity is unknown (classes compiled
 * outside Maven) never skips.
 */
public final class GoldInputs {
    private GoldInputs() {}

    public static final TableRef TABLE = TableRef.ops("gold_inputs");

    public static final String FINGERPRINT = "fingerprint";
    public static final String AS_OF = "as_of";
    public static final String TABLES = "tables";

    public static final StructType SCHEMA = new StructType()
            .add(FINGERPRINT, DataTypes.StringType, false)
            .add(AS_OF, DataTypes.DateType, false)
            .add(TABLES, new ArrayType(DataTypes.StringType, false), false);

    private static final String BUILD = build();

    /** What the last gold computation recorded. */
    public record Recorded(String fingerprint, LocalDate asOf, List<String> tables) {}

    /** The fingerprint of gold's inputs now; null when the build is unknown (never skip then). */
    public static String fingerprint(Warehouse wh, Settings settings, LocalDate requestedAsOf) {
        if (BUILD == null) {
            return null;
        }
        StringBuilder in = new StringBuilder("build=").append(BUILD).append('\n');
        in.append("as_of=").append(requestedAsOf == null ? "latest event" : requestedAsOf).append('\n');
        for (TableRef t : wh.listTables()) {
            if (t.layer() == Layer.SILVER) {
                in.append(t.qualified()).append('=').append(wh.latestVersion(t)).append('\n');
            }
        }
        // Everything that shapes a definition, not where the data lives or how Spark runs.
        Settings definitions = settings.withPaths("", "").withSpark(Settings.defaults().spark());
        in.append(definitions);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(in.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The last record, or null when gold was never computed (or computed by a version that did not record). */
    public static Recorded recorded(Warehouse wh) {
        if (!wh.exists(TABLE)) {
            return null;
        }
        List<Row> rows = wh.read(TABLE).collectAsList();
        if (rows.size() != 1) {
            return null;
        }
        Row r = rows.get(0);
        return new Recorded(r.getAs(FINGERPRINT), r.<Date>getAs(AS_OF).toLocalDate(), r.getList(r.fieldIndex(TABLES)));
    }

    /** Whether gold can be skipped: same fingerprint, and every table it produced is still there. */
    public static boolean upToDate(Warehouse wh, String fingerprint, Recorded recorded) {
        return fingerprint != null && recorded != null && fingerprint.equals(recorded.fingerprint())
                && recorded.tables().stream().allMatch(t -> wh.exists(parse(t)));
    }

    public static void record(Warehouse wh, String fingerprint, LocalDate asOf, List<TableRef> tables, String runId) {
        if (fingerprint == null || asOf == null) {
            return;
        }
        Row row = RowFactory.create(fingerprint, Date.valueOf(asOf), scala.jdk.javaapi.CollectionConverters.asScala(
                tables.stream().map(TableRef::qualified).toList()).toSeq());
        wh.overwriteIfChanged(TABLE, wh.spark().createDataFrame(List.of(row), SCHEMA), runId);
    }

    private static TableRef parse(String qualified) {
        int dot = qualified.indexOf('.');
        return new TableRef(Layer.valueOf(qualified.substring(0, dot).toUpperCase(java.util.Locale.ROOT)),
                qualified.substring(dot + 1));
    }

    private static String build() {
        try (InputStream in = GoldInputs.class.getResourceAsStream("/supportroi-build.properties")) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            String b = p.getProperty("build");
            return b == null || b.contains("${") ? null : b;
        } catch (IOException e) {
            return null;
        }
    }
}
