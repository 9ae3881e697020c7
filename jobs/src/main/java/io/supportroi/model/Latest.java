package io.supportroi.model;

import io.supportroi.ingest.Bronze;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

/** Bronze keeps every version of an entity; silver wants the one that is current. */
public final class Latest {
    private Latest() {}

    /**
     * The latest version of each entity: highest version timestamp, then the record ingested last (run, file name,
     * file version, position), so re-sent duplicates resolve the same way every run. The order is total: two bronze
     * records never tie on all of these.
     */
    public static Dataset<Row> by(Dataset<Row> versions, Column key, Column versionTs) {
        var w = Window.partitionBy(key).orderBy(order(versions, versionTs, true));
        return versions.withColumn("_rn", row_number().over(w)).filter(col("_rn").equalTo(1)).drop("_rn");
    }

    /**
     * The ordering {@link #by} uses, oldest first ({@code newestFirst} false) or newest first: version timestamp,
     * then ingestion lineage. Lineage columns absent from {@code versions} are skipped.
     */
    public static Column[] order(Dataset<Row> versions, Column versionTs, boolean newestFirst) {
        List<String> have = Arrays.asList(versions.columns());
        List<Column> out = new ArrayList<>();
        out.add(newestFirst ? versionTs.desc_nulls_last() : versionTs.asc_nulls_first());
        for (String c : List.of(Bronze.INGESTED_AT, Bronze.RUN_ID, Bronze.SOURCE_FILE, Bronze.FILE_HASH,
                Bronze.RECORD_INDEX, Bronze.LINE)) {
            if (have.contains(c)) {
                out.add(newestFirst ? col(c).desc_nulls_last() : col(c).asc_nulls_first());
            }
        }
        return out.toArray(Column[]::new);
    }

    /**
     * Reference files (agents.csv, products.csv, …) are snapshots: the rows of the file version ingested last are
     * the whole truth, and a row missing from it is gone. One tiny aggregate picks that version.
     */
    public static Dataset<Row> fileVersion(Dataset<Row> bronze) {
        Dataset<Row> newest = bronze.select(Bronze.INGESTED_AT, Bronze.RUN_ID, Bronze.SOURCE_FILE, Bronze.FILE_HASH)
                .distinct()
                .orderBy(col(Bronze.INGESTED_AT).desc(), col(Bronze.RUN_ID).desc(), col(Bronze.SOURCE_FILE).desc(),
                        col(Bronze.FILE_HASH).desc())
                .limit(1);
        return bronze.join(newest, io.supportroi.ops.Seqs.of(Bronze.RUN_ID, Bronze.SOURCE_FILE, Bronze.FILE_HASH),
                "left_semi");
    }
}
