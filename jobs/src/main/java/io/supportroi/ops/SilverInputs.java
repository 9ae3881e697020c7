package io.supportroi.ops;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ops.silver_inputs}: the bronze table versions silver was last built from, completely. Silver is rebuilt
 * whenever bronze has moved since: after new files, but also after a run that ingested files and then failed or was
 * killed before silver was complete, which "no new files this time" alone would miss.
 */
public final class SilverInputs {
    private SilverInputs() {}

    public static final TableRef TABLE = TableRef.ops("silver_inputs");

    public static final String BRONZE_TABLE = "bronze_table";
    public static final String VERSION = "version";
    public static final StructType SCHEMA = new StructType()
            .add(BRONZE_TABLE, DataTypes.StringType, false)
            .add(VERSION, DataTypes.LongType, false);

    /** The latest version of every bronze table now. */
    public static Map<String, Long> current(Warehouse wh) {
        Map<String, Long> out = new TreeMap<>();
        for (TableRef t : wh.listTables()) {
            if (t.layer() == Layer.BRONZE) {
                out.put(t.qualified(), wh.latestVersion(t));
            }
        }
        return out;
    }

    /**
     * Whether bronze is certainly what silver was last built from, judged from the tables' logs alone: no bronze
     * commit is newer than the record. Runs hold the warehouse lock, and a run records the versions it read after
     * building silver from them, so nothing wrote bronze in between. False means "look at the versions"
     * ({@link #recorded}), which costs a Spark job; this costs a listing per table.
     */
    public static boolean surelyCurrent(Warehouse wh) {
        // Only the pipeline's own write (a create or an overwrite) is a record of a complete build; rows deleted by
        // hand ask for a rebuild.
        return wh.writtenAfterAll(TABLE, wh.listTables().stream().filter(t -> t.layer() == Layer.BRONZE).toList());
    }

    /** What silver was last completely built from; empty when never. */
    public static Map<String, Long> recorded(Warehouse wh) {
        Map<String, Long> out = new TreeMap<>();
        if (!wh.exists(TABLE)) {
            return out;
        }
        for (Row r : wh.read(TABLE).collectAsList()) {
            out.put(r.getAs(BRONZE_TABLE), r.<Long>getAs(VERSION));
        }
        return out;
    }

    /** Records {@code versions} as silver's inputs, after silver was built from them. */
    public static void record(Warehouse wh, Map<String, Long> versions, String runId) {
        List<Row> rows = new ArrayList<>();
        versions.forEach((t, v) -> rows.add(RowFactory.create(t, v)));
        // The commit carries the run id; an unchanged set of versions makes no commit at all.
        wh.overwriteIfChanged(TABLE, wh.spark().createDataFrame(rows, SCHEMA), runId);
    }
}
