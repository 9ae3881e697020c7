package io.supportroi.model;

import io.supportroi.config.Settings;
import io.supportroi.ingest.Timestamps;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;

/** {@code silver.orders}: one row per shop order, latest version, money as decimal(18,2) in the shop's currency. */
public final class Orders {
    private Orders() {}

    public static final TableRef TABLE = TableRef.silver("orders");

    public static final String ORDER_ID = "order_id";
    public static final String SOURCE = "source";
    public static final String SOURCE_ORDER_ID = "source_order_id";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String ORDERED_AT = "ordered_at";
    public static final String CURRENCY = "currency";
    public static final String TOTAL = "total";
    public static final String DISCOUNT_CODES = "discount_codes";
    public static final String CANCELLED_AT = "cancelled_at";
    public static final String TAGS = "tags";
    public static final String SOURCE_NAME = "source_name";
    public static final String FINANCIAL_STATUS = "financial_status";

    public static final String MONEY = "decimal(18,2)";

    public static Dataset<Row> fromShopify(Dataset<Row> orders, Dataset<Row> identities, Settings settings) {
        Dataset<Row> latest = Latest.by(orders, col("id"),
                Timestamps.parse(coalesce(col("updated_at"), col("created_at"))));
        Dataset<Row> shopifyIds = identities.filter(col(CustomerIdentities.SOURCE).equalTo(CustomerIdentities.SHOPIFY))
                .select(col(CustomerIdentities.SOURCE_ID).as("_c_source_id"),
                        col(CustomerIdentities.CUSTOMER_ID).as("_c_customer_id"));
        Column email = Identity.normaliseEmail(coalesce(col("customer.email"), col("email")), settings.identity());
        return latest
                .join(shopifyIds, col("customer.id").cast("string").equalTo(col("_c_source_id")), "left")
                .select(
                        concat(lit("shopify:"), col("id").cast("string")).as(ORDER_ID),
                        lit(CustomerIdentities.SHOPIFY).as(SOURCE),
                        col("id").cast("string").as(SOURCE_ORDER_ID),
                        coalesce(col("_c_customer_id"), Identity.customerIdFromEmail(email)).as(CUSTOMER_ID),
                        Timestamps.parse(col("created_at")).as(ORDERED_AT),
                        upper(col("currency")).as(CURRENCY),
                        money(col("total_price")).as(TOTAL),
                        coalesce(transform(col("discount_codes"), d -> upper(trim(d.getField("code")))),
                                array().cast("array<string>")).as(DISCOUNT_CODES),
                        Timestamps.parse(col("cancelled_at")).as(CANCELLED_AT),
                        coalesce(filter(transform(split(coalesce(col("tags"), lit("")), ","), t -> trim(t)),
                                t -> t.notEqual("")), array().cast("array<string>")).as(TAGS),
                        col("source_name").as(SOURCE_NAME),
                        col("financial_status").as(FINANCIAL_STATUS));
    }

    /** Shopify sends money as strings ("39.00"), sometimes as numbers; both become decimal(18,2). */
    public static Column money(Column text) {
        return trim(text.cast("string")).try_cast(MONEY);
    }
}
