package io.supportroi.model;

import io.supportroi.ingest.Bronze;
import io.supportroi.ingest.LandingSource;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import java.util.List;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.row_number;

/**
 * {@code silver.order_lines}: one row per line of the current version of each order. Key: {@code order_id},
 * {@code line_number} (1-based position in the order).
 */
public final class OrderLines {
    private OrderLines() {}

    public static final TableRef TABLE = TableRef.silver("order_lines");

    public static final String ORDER_ID = "order_id";
    public static final String LINE_NUMBER = "line_number";
    public static final String LINE_ID = "line_id";
    public static final String SKU = "sku";
    public static final String QUANTITY = "quantity";
    public static final String UNIT_PRICE = "unit_price";

    public static final List<String> COLUMNS = List.of(ORDER_ID, LINE_NUMBER, LINE_ID, SKU, QUANTITY, UNIT_PRICE);

    public static Dataset<Row> apply(BronzeTables b) {
        return fromShopify(Orders.latestShopify(b.get(LandingSource.SHOPIFY_ORDERS)))
                .unionByName(fromCsv(Orders.csvVersions(b.get(LandingSource.CSV_ORDERS))));
    }

    /** @param latest {@link Orders#latestShopify}: the lines of an order's current version, in their order. */
    public static Dataset<Row> fromShopify(Dataset<Row> latest) {
        return latest.select(col("id"), posexplode(col("line_items")).as(new String[] {"_pos", "_li"}))
                .select(
                        concat(lit(Orders.SOURCE_SHOPIFY + ":"), col("id").cast("string")).as(ORDER_ID),
                        col("_pos").plus(1).cast("int").as(LINE_NUMBER),
                        col("_li.id").cast("string").as(LINE_ID),
                        Conform.text(col("_li.sku")).as(SKU),
                        col("_li.quantity").as(QUANTITY),
                        Conform.money(col("_li.price")).as(UNIT_PRICE));
    }

    /**
     * @param versions {@link Orders#csvVersions}. A row with a {@code sku} is a line. Rows of one order version with
     * the same {@code line_number} (or, without line numbers, the same {@code sku}) are one line, the last row
     * winning: a row repeated inside one file does not double the line. Lines are numbered 1.. by
     * {@code line_number}, then by position in the file.
     */
    public static Dataset<Row> fromCsv(Dataset<Row> versions) {
        Dataset<Row> lines = versions.filter(Conform.text(col("sku")).isNotNull())
                .withColumn("_line_key", coalesce(Conform.text(col("line_number")), Conform.text(col("sku"))));
        Dataset<Row> unique = lines
                .withColumn("_rn", row_number().over(Window.partitionBy(col(Orders.CSV_ORDER_ID), col("_line_key"))
                        .orderBy(col(Bronze.RECORD_INDEX).desc())))
                .filter(col("_rn").equalTo(1));
        Column order = Conform.wholeNumber(col("line_number"));
        return unique
                .withColumn("_n", row_number().over(Window.partitionBy(col(Orders.CSV_ORDER_ID))
                        .orderBy(order.asc_nulls_last(), col(Bronze.RECORD_INDEX).asc())))
                .select(
                        concat(lit(Orders.SOURCE_CSV + ":"), col(Orders.CSV_ORDER_ID)).as(ORDER_ID),
                        col("_n").cast("int").as(LINE_NUMBER),
                        Conform.text(col("line_number")).as(LINE_ID),
                        Conform.text(col("sku")).as(SKU),
                        coalesce(Conform.wholeNumber(col("quantity")), lit(1)).as(QUANTITY),
                        Conform.money(col("unit_price")).as(UNIT_PRICE));
    }
}
