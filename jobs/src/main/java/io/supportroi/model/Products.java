package io.supportroi.model;

import io.supportroi.ingest.LandingSource;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/** {@code silver.products}: cost of goods per SKU from {@code reference/products.csv}, its latest version. */
public final class Products {
    private Products() {}

    public static final TableRef TABLE = TableRef.silver("products");

    public static final String SKU = "sku";
    public static final String UNIT_COST = "unit_cost";

    public static final List<String> COLUMNS = List.of(SKU, UNIT_COST);

    public static Dataset<Row> apply(BronzeTables b) {
        return apply(b.get(LandingSource.REFERENCE_PRODUCTS));
    }

    /** The last row of a SKU in the latest file version wins. */
    public static Dataset<Row> apply(Dataset<Row> referenceProducts) {
        return Latest.by(Latest.fileVersion(referenceProducts).withColumn("_sku", Conform.text(col("sku")))
                        .filter(col("_sku").isNotNull()), col("_sku"), lit(0))
                .select(col("_sku").as(SKU), Conform.money(col("unit_cost")).as(UNIT_COST));
    }
}
