package io.supportroi.analytics.worklists;

import io.supportroi.model.Tickets;
import io.supportroi.ops.Seqs;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.sql.Timestamp;
import java.util.List;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;

/**
 * {@code gold.ticket_priority_queue}: every open ticket, ranked by the expected value at risk of its customer
 * (customer value × churn risk), so the first tickets a team picks up are the ones whose loss would cost most.
 */
public final class TicketPriorityQueue {
    private TicketPriorityQueue() {}

    public static final TableRef TABLE = TableRef.gold("ticket_priority_queue");

    public static final String RANK = "rank";
    public static final String TICKET_ID = "ticket_id";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String CREATED_AT = "created_at";
    public static final String AGE_HOURS = "age_hours";
    public static final String CHANNEL = "channel";
    public static final String STATUS = "status";
    public static final String AGENT_ID = "agent_id";
    public static final String CUSTOMER_VALUE = CustomerValue.VALUE;
    public static final String CHURN_RISK = ChurnRisk.CHURN_RISK;
    public static final String VALUE_AT_RISK = "value_at_risk";
    public static final String AS_OF = "as_of";

    public static final List<String> COLUMNS = List.of(RANK, TICKET_ID, CUSTOMER_ID, CREATED_AT, AGE_HOURS, CHANNEL,
            STATUS, AGENT_ID, CUSTOMER_VALUE, CHURN_RISK, VALUE_AT_RISK, AS_OF);
    public static final List<String> EXPORT_ORDER = List.of(RANK);

    /**
     * @param tickets       silver.tickets; the open ones (see {@link OpenTickets}) created by as-of are queued
     * @param churnRisk     {@link ChurnRisk#apply}: ticket_id, churn_risk
     * @param customerValue {@link CustomerValue#apply}
     */
    public static Dataset<Row> apply(Dataset<Row> tickets, Dataset<Row> churnRisk, Dataset<Row> customerValue,
                                     Timestamp asOfEnd) {
        Dataset<Row> value = customerValue.select(col(CustomerValue.CUSTOMER_ID).as(CUSTOMER_ID), col(CustomerValue.VALUE));
        Dataset<Row> risk = churnRisk.select(col(ChurnRisk.TICKET_ID).as(TICKET_ID), col(ChurnRisk.CHURN_RISK));
        Dataset<Row> open = OpenTickets.asOf(tickets, asOfEnd)
                .select(col(Tickets.TICKET_ID).as(TICKET_ID), col(Tickets.CUSTOMER_ID).as(CUSTOMER_ID),
                        col(Tickets.CREATED_AT).as(CREATED_AT), col(Tickets.CHANNEL).as(CHANNEL),
                        col(Tickets.STATUS).as(STATUS), col(Tickets.AGENT_ID).as(AGENT_ID))
                .join(value, Seqs.of(CUSTOMER_ID), "left")
                .join(risk, Seqs.of(TICKET_ID), "left")
                .withColumn(CUSTOMER_VALUE, CustomerValue.orZero())
                .withColumn(VALUE_AT_RISK, col(CUSTOMER_VALUE).multiply(coalesce(col(CHURN_RISK), lit(0.0)))
                        .cast(CustomerValue.MONEY))
                .withColumn(AGE_HOURS, OpenTickets.ageHours(col(CREATED_AT), asOfEnd));
        // Ties go to the riskier customer, then the older ticket.
        return Ranking.withRank(open, RANK, col(VALUE_AT_RISK).desc(), col(CHURN_RISK).desc_nulls_last(),
                        col(CREATED_AT), col(TICKET_ID))
                .withColumn(AS_OF, to_date(lit(asOfEnd)))
                .select(COLUMNS.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
    }
}
