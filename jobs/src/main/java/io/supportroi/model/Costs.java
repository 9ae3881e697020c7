package io.supportroi.model;

import io.supportroi.ingest.FieldRule;
import io.supportroi.ingest.LandingSource;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;

/**
 * {@code silver.costs}: support's non-staff costs per month and item (helpdesk platform, tools) from
 * {@code reference/costs.csv}, its latest version. Rows of the same month and item add up (a ledger: two tools
 * both filed as "tools" are two costs).
 */
public final class Costs {
    private Costs() {}

    public static final TableRef TABLE = TableRef.silver("costs");

    /** "2025-01". */
    public static final String MONTH = "month";
    /** The first day of the month, as a date, for joins and ranges. */
    public static final String MONTH_START = "month_start";
    public static final String ITEM = "item";
    public static final String AMOUNT = "amount";

    public static final List<String> COLUMNS = List.of(MONTH, MONTH_START, ITEM, AMOUNT);

    public static Dataset<Row> apply(BronzeTables b) {
        return apply(b.get(LandingSource.REFERENCE_COSTS));
    }

    public static Dataset<Row> apply(Dataset<Row> referenceCosts) {
        return Latest.fileVersion(referenceCosts)
                .withColumn("_start", FieldRule.monthStart(col("month")))
                .groupBy(to_date(col("_start")).as(MONTH_START), Conform.text(col("item")).as(ITEM))
                .agg(sum(Conform.money(col("amount"))).cast(Conform.MONEY).as(AMOUNT))
                .select(date_format(col(MONTH_START), "yyyy-MM").as(MONTH), col(MONTH_START), col(ITEM), col(AMOUNT));
    }
}
