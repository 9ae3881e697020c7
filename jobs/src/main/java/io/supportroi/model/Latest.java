package io.supportroi.model;

import io.supportroi.ingest.Bronze;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

/** Bronze keeps every version of an entity; silver wants the one that is current. */
public final class Latest {
    private Latest() {}

    /**
     * The latest version of each entity: highest version timestamp, then the record ingested last (file name,
     * then position), so re-sent duplicates resolve the same way every run.
     */
    public static Dataset<Row> by(Dataset<Row> versions, Column key, Column versionTs) {
        var w = Window.partitionBy(key).orderBy(versionTs.desc_nulls_last(),
                col(Bronze.SOURCE_FILE).desc(), col(Bronze.RECORD_INDEX).desc());
        return versions.withColumn("_rn", row_number().over(w)).filter(col("_rn").equalTo(1)).drop("_rn");
    }
}
