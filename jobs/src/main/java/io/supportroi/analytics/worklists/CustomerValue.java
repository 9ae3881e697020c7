package io.supportroi.analytics.worklists;

import io.supportroi.model.Orders;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.sql.Timestamp;
import java.time.Duration;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

/**
 * What a customer is worth to the business, the same figure in every worklist: the revenue of their non-cancelled
 * orders in the {@code worklists.value-window-days} (default 365) up to as-of. Customers without such orders are
 * absent; the lists read them as 0.
 */
public final class CustomerValue {
    private CustomerValue() {}

    public static final String CUSTOMER_ID = "customer_id";
    public static final String VALUE = "customer_value";
    public static final String MONEY = "decimal(18,2)";

    /** Orders in {@code (asOfEnd - windowDays, asOfEnd]}: an order placed after as-of is not known yet. */
    public static Dataset<Row> apply(Dataset<Row> orders, Timestamp asOfEnd, int windowDays) {
        Column at = col(Orders.ORDERED_AT);
        return orders.filter(col(Orders.CUSTOMER_ID).isNotNull().and(col(Orders.CANCELLED_AT).isNull())
                        .and(at.leq(lit(asOfEnd))).and(at.gt(lit(asOfEnd).minus(lit(Duration.ofDays(windowDays))))))
                .groupBy(col(Orders.CUSTOMER_ID).as(CUSTOMER_ID))
                .agg(sum(col(Orders.TOTAL)).cast(MONEY).as(VALUE));
    }

    /** A customer's value after a left join to {@link #apply}'s output: 0 when they bought nothing in the window. */
    public static Column orZero() {
        return org.apache.spark.sql.functions.coalesce(col(VALUE), lit(0).cast(MONEY));
    }
}
