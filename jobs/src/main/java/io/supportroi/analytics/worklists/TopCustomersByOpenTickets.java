package io.supportroi.analytics.worklists;

import io.supportroi.model.Tickets;
import io.supportroi.ops.Seqs;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.sql.Timestamp;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_date;

/**
 * {@code gold.top_customers_by_open_tickets}: the customers with the most open tickets (top
 * {@code worklists.top-customers}, default 50), with their value and their oldest open ticket: several tickets open
 * at once usually mean one problem bouncing around, worth one agent owning it.
 */
public final class TopCustomersByOpenTickets {
    private TopCustomersByOpenTickets() {}

    public static final TableRef TABLE = TableRef.gold("top_customers_by_open_tickets");

    public static final String RANK = "rank";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String OPEN_TICKETS = "open_tickets";
    public static final String OLDEST_OPEN_TICKET_ID = "oldest_open_ticket_id";
    public static final String OLDEST_OPEN_CREATED_AT = "oldest_open_created_at";
    public static final String OLDEST_OPEN_AGE_HOURS = "oldest_open_age_hours";
    public static final String CUSTOMER_VALUE = CustomerValue.VALUE;
    public static final String AS_OF = "as_of";

    public static final List<String> COLUMNS = List.of(RANK, CUSTOMER_ID, OPEN_TICKETS, OLDEST_OPEN_TICKET_ID,
            OLDEST_OPEN_CREATED_AT, OLDEST_OPEN_AGE_HOURS, CUSTOMER_VALUE, AS_OF);
    public static final List<String> EXPORT_ORDER = List.of(RANK);

    /**
     * @param tickets       silver.tickets; open ones with a known customer count
     * @param customerValue {@link CustomerValue#apply}
     * @param topN          customers kept
     */
    public static Dataset<Row> apply(Dataset<Row> tickets, Dataset<Row> customerValue, Timestamp asOfEnd, int topN) {
        Dataset<Row> value = customerValue.select(col(CustomerValue.CUSTOMER_ID).as(CUSTOMER_ID), col(CustomerValue.VALUE));
        Dataset<Row> perCustomer = OpenTickets.asOf(tickets, asOfEnd)
                .filter(col(Tickets.CUSTOMER_ID).isNotNull())
                .groupBy(col(Tickets.CUSTOMER_ID).as(CUSTOMER_ID))
                .agg(count(lit(1)).as(OPEN_TICKETS),
                        min(struct(col(Tickets.CREATED_AT).as("at"), col(Tickets.TICKET_ID).as("id"))).as("_oldest"))
                .withColumn(OLDEST_OPEN_TICKET_ID, col("_oldest.id"))
                .withColumn(OLDEST_OPEN_CREATED_AT, col("_oldest.at"))
                .withColumn(OLDEST_OPEN_AGE_HOURS, OpenTickets.ageHours(col(OLDEST_OPEN_CREATED_AT), asOfEnd))
                .join(value, Seqs.of(CUSTOMER_ID), "left")
                .withColumn(CUSTOMER_VALUE, CustomerValue.orZero());
        // Equal counts: the more valuable customer first, then the one waiting longest. The order is total
        // (customer_id last), so taking the top N first and numbering only those N gives the same ranks cheaply.
        Column[] order = {col(OPEN_TICKETS).desc(), col(CUSTOMER_VALUE).desc(), col(OLDEST_OPEN_CREATED_AT),
                col(CUSTOMER_ID)};
        return Ranking.withRank(perCustomer.orderBy(order).limit(topN), RANK, order)
                .withColumn(AS_OF, to_date(lit(asOfEnd)))
                .select(COLUMNS.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
    }
}
