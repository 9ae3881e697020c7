package io.supportroi.model;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * How many silver records could not be tied to what they are about, per table and source: tickets, orders,
 * subscriptions, renewal attempts and refunds to a customer; claims to an order. A record is unmatched when its
 * customer (order) id is null or names no row of silver.customers (silver.orders). Records tied to a customer known
 * by a single source id and no email are counted apart ({@code without_email}): they are matched, but only within
 * their own source.
 */
public final class Unmatched {
    private Unmatched() {}

    public static final String TABLE = "table";
    public static final String SOURCE = "source";
    /** "customer" or "order". */
    public static final String TIED_TO = "tied_to";
    public static final String RECORDS = "records";
    public static final String UNMATCHED = "unmatched";
    public static final String WITHOUT_EMAIL = "without_email";

    public static final String CUSTOMER = "customer";
    public static final String ORDER = "order";

    /** One count, ready for the run summary. */
    public record Count(String table, String source, String tiedTo, long records, long unmatched, long withoutEmail) {}

    /** A few rows (tables × sources): small whatever the input size. */
    public static Dataset<Row> counts(Dataset<Row> customers, Dataset<Row> tickets, Dataset<Row> orders,
                                      Dataset<Row> subscriptions, Dataset<Row> renewalAttempts, Dataset<Row> refunds,
                                      Dataset<Row> claims) {
        Dataset<Row> known = customers.select(col(Customers.CUSTOMER_ID).as("_k_customer"),
                col(Customers.EMAIL).isNull().as("_k_no_email"));
        return byCustomer(Tickets.TABLE.qualified(), tickets, col(Tickets.SOURCE), known)
                .unionByName(byCustomer(Orders.TABLE.qualified(), orders, col(Orders.SOURCE), known))
                .unionByName(byCustomer(Subscriptions.TABLE.qualified(), subscriptions, col(Subscriptions.SOURCE), known))
                .unionByName(byCustomer(RenewalAttempts.TABLE.qualified(), renewalAttempts,
                        col(RenewalAttempts.SOURCE), known))
                .unionByName(byCustomer(Refunds.TABLE.qualified(), refunds, col(Refunds.SOURCE), known))
                .unionByName(claimsByOrder(claims, orders));
    }

    public static List<Count> collect(Dataset<Row> counts) {
        return counts.orderBy(TABLE, SOURCE).collectAsList().stream()
                .map(r -> new Count(r.getAs(TABLE), r.getAs(SOURCE), r.getAs(TIED_TO), r.<Long>getAs(RECORDS),
                        r.<Long>getAs(UNMATCHED), r.<Long>getAs(WITHOUT_EMAIL)))
                .toList();
    }

    private static Dataset<Row> byCustomer(String table, Dataset<Row> rows, Column source, Dataset<Row> known) {
        return rows.select(source.as("_source"), col("customer_id").as("_customer"))
                .join(known, col("_customer").equalTo(col("_k_customer")), "left")
                .groupBy(col("_source").as(SOURCE))
                .agg(count(lit(1)).as(RECORDS),
                        sum(when(col("_k_customer").isNull(), 1L).otherwise(0L)).as(UNMATCHED),
                        sum(when(col("_k_no_email"), 1L).otherwise(0L)).as(WITHOUT_EMAIL))
                .select(lit(table).as(TABLE), col(SOURCE), lit(CUSTOMER).as(TIED_TO), col(RECORDS), col(UNMATCHED),
                        col(WITHOUT_EMAIL));
    }

    private static Dataset<Row> claimsByOrder(Dataset<Row> claims, Dataset<Row> orders) {
        Dataset<Row> known = orders.select(col(Orders.ORDER_ID).as("_k_order"));
        return claims.select(col(Claims.ORDER_ID).as("_order"))
                .join(known, col("_order").equalTo(col("_k_order")), "left")
                .agg(count(lit(1)).as(RECORDS), sum(when(col("_k_order").isNull(), 1L).otherwise(0L)).as(UNMATCHED))
                .filter(col(RECORDS).gt(0))
                .select(lit(Claims.TABLE.qualified()).as(TABLE), lit("reference").as(SOURCE), lit(ORDER).as(TIED_TO),
                        col(RECORDS), col(UNMATCHED), lit(0L).as(WITHOUT_EMAIL));
    }
}
