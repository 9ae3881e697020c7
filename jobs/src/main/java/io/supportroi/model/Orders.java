package io.supportroi.model;

import io.supportroi.config.Settings;
import io.supportroi.ingest.Bronze;
import io.supportroi.ingest.LandingSource;
import io.supportroi.ingest.Timestamps;
import io.supportroi.ops.Seqs;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;

/**
 * {@code silver.orders}: one row per shop order (Shopify and the canonical CSV), latest version, money as
 * decimal(18,2) in the shop's currency. {@code order_id} is the source's id prefixed by the source
 * ("shopify:5001", "csv:A-17").
 */
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

    public static final List<String> COLUMNS = List.of(ORDER_ID, SOURCE, SOURCE_ORDER_ID, CUSTOMER_ID, ORDERED_AT,
            CURRENCY, TOTAL, DISCOUNT_CODES, CANCELLED_AT, TAGS, SOURCE_NAME, FINANCIAL_STATUS);

    public static final String SOURCE_SHOPIFY = "shopify";
    public static final String SOURCE_CSV = "csv";

    public static final String MONEY = Conform.MONEY;

    /** Internal: the trimmed order id of a canonical CSV row. */
    static final String CSV_ORDER_ID = "_order_id";

    public static Dataset<Row> apply(BronzeTables b, Dataset<Row> identities, Settings settings) {
        Dataset<Row> csvVersions = csvVersions(b.get(LandingSource.CSV_ORDERS));
        return fromShopify(latestShopify(b.get(LandingSource.SHOPIFY_ORDERS)), identities, settings)
                .unionByName(fromCsv(csvVersions, OrderLines.fromCsv(csvVersions), identities, settings));
    }

    /** The current version of each Shopify order: latest {@code updated_at}, ties to the record ingested last. */
    public static Dataset<Row> latestShopify(Dataset<Row> bronze) {
        return Latest.by(bronze, col("id"), Timestamps.parse(coalesce(col("updated_at"), col("created_at"))));
    }

    /** @param latest {@link #latestShopify} */
    public static Dataset<Row> fromShopify(Dataset<Row> latest, Dataset<Row> identities, Settings settings) {
        Column email = Identity.normaliseEmail(coalesce(col("customer.email"), col("email")), settings.identity());
        return CustomerIdentities.resolve(latest, identities, CustomerIdentities.SHOPIFY, col("customer.id"), email,
                        "_customer")
                .select(
                        concat(lit(SOURCE_SHOPIFY + ":"), col("id").cast("string")).as(ORDER_ID),
                        lit(SOURCE_SHOPIFY).as(SOURCE),
                        col("id").cast("string").as(SOURCE_ORDER_ID),
                        col("_customer").as(CUSTOMER_ID),
                        Timestamps.parse(col("created_at")).as(ORDERED_AT),
                        upper(col("currency")).as(CURRENCY),
                        money(col("total_price")).as(TOTAL),
                        coalesce(transform(col("discount_codes"), d -> upper(trim(d.getField("code")))),
                                Conform.emptyStrings()).as(DISCOUNT_CODES),
                        Timestamps.parse(col("cancelled_at")).as(CANCELLED_AT),
                        Conform.list(col("tags")).as(TAGS),
                        col("source_name").as(SOURCE_NAME),
                        col("financial_status").as(FINANCIAL_STATUS));
    }

    /**
     * Canonical CSV orders span several rows (one per line or refund). A version of an order is all its rows in one
     * file version; the version with the latest {@code updated_at} (else {@code ordered_at}) wins, ties to the file
     * ingested last, and only its rows count: an order re-sent in a later export replaces its lines and refunds
     * instead of adding to them.
     */
    public static Dataset<Row> csvVersions(Dataset<Row> bronze) {
        Dataset<Row> rows = bronze.withColumn(CSV_ORDER_ID, trim(col("order_id")));
        Column ts = coalesce(Timestamps.parse(col("updated_at")), Timestamps.parse(col("ordered_at")));
        Dataset<Row> perFile = rows
                .groupBy(col(CSV_ORDER_ID), col(Bronze.INGESTED_AT), col(Bronze.RUN_ID), col(Bronze.SOURCE_FILE),
                        col(Bronze.FILE_HASH))
                .agg(max(ts).as("_v_ts"));
        Dataset<Row> winners = Latest.by(perFile, col(CSV_ORDER_ID), col("_v_ts"))
                .select(CSV_ORDER_ID, Bronze.RUN_ID, Bronze.SOURCE_FILE, Bronze.FILE_HASH);
        return rows.join(winners, Seqs.of(CSV_ORDER_ID, Bronze.RUN_ID, Bronze.SOURCE_FILE, Bronze.FILE_HASH),
                "left_semi");
    }

    /**
     * @param versions {@link #csvVersions}
     * @param lines    {@link OrderLines#fromCsv} of the same versions: {@code total}, when the file leaves it out,
     *                 is the sum of quantity × unit price over the lines less {@code discount_amount}
     */
    public static Dataset<Row> fromCsv(Dataset<Row> versions, Dataset<Row> lines, Dataset<Row> identities,
                                       Settings settings) {
        Dataset<Row> lineTotals = lines.groupBy(col(OrderLines.ORDER_ID).as("_l_order_id"))
                .agg(sum(col(OrderLines.QUANTITY).cast(MONEY).multiply(col(OrderLines.UNIT_PRICE))).as("_l_total"));
        // Order-level columns are repeated on every row; the last row that fills one decides.
        Dataset<Row> orders = versions.groupBy(col(CSV_ORDER_ID))
                .agg(Conform.lastNonNull(Timestamps.parse(col("ordered_at"))).as(ORDERED_AT),
                        Conform.lastNonNull(Conform.text(col("customer_id"))).as("_customer_source_id"),
                        Conform.lastNonNull(Identity.normaliseEmail(col("customer_email"), settings.identity()))
                                .as("_customer_email"),
                        Conform.lastNonNull(upper(Conform.text(col("currency")))).as(CURRENCY),
                        Conform.lastNonNull(money(col("total"))).as("_total"),
                        Conform.lastNonNull(money(col("discount_amount"))).as("_discount"),
                        Conform.lastNonNull(Conform.text(col("discount_codes"))).as("_codes"),
                        Conform.lastNonNull(Timestamps.parse(col("cancelled_at"))).as(CANCELLED_AT),
                        Conform.lastNonNull(Conform.text(col("tags"))).as("_tags"),
                        Conform.lastNonNull(Conform.text(col("source_name"))).as(SOURCE_NAME),
                        Conform.lastNonNull(Conform.text(col("financial_status"))).as(FINANCIAL_STATUS))
                .withColumn(ORDER_ID, concat(lit(SOURCE_CSV + ":"), col(CSV_ORDER_ID)));
        Column computedTotal = col("_l_total").minus(coalesce(col("_discount"), lit(0).cast(MONEY)));
        return CustomerIdentities.resolve(orders, identities, CustomerIdentities.CSV_ORDERS,
                        col("_customer_source_id"), col("_customer_email"), "_customer")
                .join(lineTotals, col(ORDER_ID).equalTo(col("_l_order_id")), "left")
                .select(
                        col(ORDER_ID),
                        lit(SOURCE_CSV).as(SOURCE),
                        col(CSV_ORDER_ID).as(SOURCE_ORDER_ID),
                        col("_customer").as(CUSTOMER_ID),
                        col(ORDERED_AT),
                        col(CURRENCY),
                        coalesce(col("_total"), computedTotal.cast(MONEY)).as(TOTAL),
                        transform(Conform.list(col("_codes")), c -> upper(c)).as(DISCOUNT_CODES),
                        col(CANCELLED_AT),
                        Conform.list(col("_tags")).as(TAGS),
                        col(SOURCE_NAME),
                        col(FINANCIAL_STATUS));
    }

    /** Shopify sends money as strings ("39.00"), sometimes as numbers; both become decimal(18,2). */
    public static Column money(Column text) {
        return Conform.money(text);
    }
}
