package io.supportroi.analytics;

import io.supportroi.model.Orders;
import io.supportroi.model.Subscriptions;
import io.supportroi.ops.Seqs;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.struct;

/**
 * Each customer's subscriptions and orders as arrays, built once and joined to tickets by customer: per-ticket
 * questions ("active at t+H?", "ordered in (t, t+H]?") then become higher-order functions over a short array
 * instead of a ticket × order join that explodes.
 */
public final class CustomerTimeline {
    private CustomerTimeline() {}

    public static final String CUSTOMER_ID = "customer_id";
    public static final String SUBSCRIPTIONS = "subscriptions";
    public static final String ORDERS = "orders";
    /** Fields of the array elements. */
    public static final String STARTED_AT = "started_at";
    public static final String ENDED_AT = "ended_at";
    public static final String ORDERED_AT = "ordered_at";
    public static final String TOTAL = "total";

    /** Cancelled orders are not purchases: they count neither as retention nor as revenue. */
    public static Dataset<Row> apply(Dataset<Row> subscriptions, Dataset<Row> orders) {
        Dataset<Row> subs = subscriptions.filter(col(Subscriptions.CUSTOMER_ID).isNotNull())
                .groupBy(col(Subscriptions.CUSTOMER_ID).as(CUSTOMER_ID))
                .agg(collect_list(struct(col(Subscriptions.STARTED_AT).as(STARTED_AT),
                        col(Subscriptions.ENDED_AT).as(ENDED_AT))).as(SUBSCRIPTIONS));
        Dataset<Row> ords = orders.filter(col(Orders.CUSTOMER_ID).isNotNull().and(col(Orders.CANCELLED_AT).isNull()))
                .groupBy(col(Orders.CUSTOMER_ID).as(CUSTOMER_ID))
                .agg(collect_list(struct(col(Orders.ORDERED_AT).as(ORDERED_AT),
                        col(Orders.TOTAL).as(TOTAL))).as(ORDERS));
        return subs.join(ords, Seqs.of(CUSTOMER_ID), "full_outer");
    }
}
