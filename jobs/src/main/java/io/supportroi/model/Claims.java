package io.supportroi.model;

import io.supportroi.config.Settings;
import io.supportroi.ingest.LandingSource;
import io.supportroi.ingest.Timestamps;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;

/**
 * {@code silver.claims}: carrier claims for lost or damaged parcels, from {@code reference/claims.csv} (its latest
 * version; the last row of a claim id wins), tied to the silver order they are about.
 */
public final class Claims {
    private Claims() {}

    public static final TableRef TABLE = TableRef.silver("claims");

    public static final String CLAIM_ID = "claim_id";
    /** The silver order ({@code shopify:…}, {@code csv:…}); null when no order matches {@code order_ref}. */
    public static final String ORDER_ID = "order_id";
    /** The order as the claims file names it. */
    public static final String ORDER_REF = "order_ref";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String CARRIER = "carrier";
    public static final String FILED_AT = "filed_at";
    public static final String AMOUNT_CLAIMED = "amount_claimed";
    public static final String AMOUNT_RECOVERED = "amount_recovered";
    public static final String RECOVERED_AT = "recovered_at";
    public static final String AGENT_ID = "agent_id";

    public static final List<String> COLUMNS = List.of(CLAIM_ID, ORDER_ID, ORDER_REF, CUSTOMER_ID, CARRIER, FILED_AT,
            AMOUNT_CLAIMED, AMOUNT_RECOVERED, RECOVERED_AT, AGENT_ID);

    public static Dataset<Row> apply(BronzeTables b, Dataset<Row> orders, Settings settings) {
        return apply(b.get(LandingSource.REFERENCE_CLAIMS), orders, settings);
    }

    /**
     * The file's {@code order_id} may be a silver order id ("shopify:5001"), or a bare source order id, matched to
     * the Shopify order of that id first, then to the CSV order.
     */
    public static Dataset<Row> apply(Dataset<Row> referenceClaims, Dataset<Row> orders, Settings settings) {
        Dataset<Row> claims = Latest.by(Latest.fileVersion(referenceClaims).withColumn("_claim", trim(col("claim_id"))),
                col("_claim"), lit(0));
        Dataset<Row> exact = orders.select(col(Orders.ORDER_ID).as("_e_order"), col(Orders.CUSTOMER_ID).as("_e_customer"));
        Dataset<Row> shopify = bySourceId(orders, Orders.SOURCE_SHOPIFY, "_s");
        Dataset<Row> csv = bySourceId(orders, Orders.SOURCE_CSV, "_c");
        Column ref = trim(col("order_id"));
        return claims
                .join(exact, ref.equalTo(col("_e_order")), "left")
                .join(shopify, ref.equalTo(col("_s_ref")), "left")
                .join(csv, ref.equalTo(col("_c_ref")), "left")
                .select(col("_claim").as(CLAIM_ID),
                        coalesce(col("_e_order"), col("_s_order"), col("_c_order")).as(ORDER_ID),
                        ref.as(ORDER_REF),
                        coalesce(col("_e_customer"), col("_s_customer"), col("_c_customer")).as(CUSTOMER_ID),
                        Conform.text(col("carrier")).as(CARRIER),
                        Timestamps.parse(col("filed_at")).as(FILED_AT),
                        Conform.money(col("amount_claimed")).as(AMOUNT_CLAIMED),
                        Conform.money(col("amount_recovered")).as(AMOUNT_RECOVERED),
                        Timestamps.parse(col("recovered_at")).as(RECOVERED_AT),
                        Identity.normaliseEmail(col("agent_email"), settings.identity()).as(AGENT_ID));
    }

    private static Dataset<Row> bySourceId(Dataset<Row> orders, String source, String p) {
        return orders.filter(col(Orders.SOURCE).equalTo(source))
                .select(col(Orders.SOURCE_ORDER_ID).as(p + "_ref"), col(Orders.ORDER_ID).as(p + "_order"),
                        col(Orders.CUSTOMER_ID).as(p + "_customer"));
    }
}
