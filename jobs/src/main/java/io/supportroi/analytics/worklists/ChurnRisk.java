package io.supportroi.analytics.worklists;

import io.supportroi.analytics.AgentVsChurn;
import io.supportroi.model.Subscriptions;
import io.supportroi.model.Tickets;
import io.supportroi.ops.Seqs;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

/**
 * The chance that an open ticket's customer churns within the churn window: the logistic regression behind
 * {@code gold.agent_vs_churn}'s expected churn (channel, tags, tenure, prior tickets, prior failed payments; never
 * the agent or the speed), fitted on the solved churn-eligible tickets whose outcome is known and applied to the
 * open ones, which have the same features and no outcome yet.
 */
public final class ChurnRisk {
    private ChurnRisk() {}

    public static final String TICKET_ID = Tickets.TICKET_ID;
    public static final String CHURN_RISK = "churn_risk";
    /** Columns of the failed payments this class and {@link AgentVsChurn#churnTickets} take. */
    public static final String FAILED_CUSTOMER_ID = "customer_id";
    public static final String FAILED_ATTEMPTED_AT = "attempted_at";

    /**
     * @param openTickets    the tickets to score (silver.tickets columns)
     * @param allTickets     silver.tickets, for each customer's prior tickets
     * @param subscriptions  silver.subscriptions, for tenure
     * @param failedPayments customer_id, attempted_at of failed renewal attempts
     * @param training       {@link AgentVsChurn#churnTickets}: labelled tickets with the same features
     * @return ticket_id, churn_risk for every open ticket
     */
    public static Dataset<Row> apply(Dataset<Row> openTickets, Dataset<Row> allTickets, Dataset<Row> subscriptions,
                                     Dataset<Row> failedPayments, Dataset<Row> training) {
        return apply(openTickets, allTickets, subscriptions, failedPayments, AgentVsChurn.fitChurn(training));
    }

    /** As above, with the model already fitted ({@link AgentVsChurn#fitChurn}). */
    public static Dataset<Row> apply(Dataset<Row> openTickets, Dataset<Row> allTickets, Dataset<Row> subscriptions,
                                     Dataset<Row> failedPayments, AgentVsChurn.ChurnFit fit) {
        Dataset<Row> features = features(openTickets, allTickets, subscriptions, failedPayments);
        return fit.score(AgentVsChurn.modelInputs(features), CHURN_RISK).select(col(TICKET_ID), col(CHURN_RISK));
    }

    /**
     * The model's features for any tickets, as {@link AgentVsChurn#churnTickets} computes them for solved ones:
     * tenure in days since the customer's first subscription (0 for a customer who never subscribed), tickets
     * before this one, failed renewal payments before it.
     */
    static Dataset<Row> features(Dataset<Row> tickets, Dataset<Row> allTickets, Dataset<Row> subscriptions,
                                 Dataset<Row> failedPayments) {
        Dataset<Row> prior = allTickets.filter(col(Tickets.CUSTOMER_ID).isNotNull())
                .withColumn(AgentVsChurn.PRIOR_TICKETS, row_number().over(Window.partitionBy(Tickets.CUSTOMER_ID)
                        .orderBy(Tickets.CREATED_AT, Tickets.TICKET_ID)).minus(1))
                .select(col(Tickets.TICKET_ID).as("_p_ticket"), col(AgentVsChurn.PRIOR_TICKETS));
        Dataset<Row> firstStart = subscriptions.filter(col(Subscriptions.CUSTOMER_ID).isNotNull())
                .groupBy(col(Subscriptions.CUSTOMER_ID).as("_s_customer"))
                .agg(min(Subscriptions.STARTED_AT).as("_first_start"));
        Dataset<Row> base = tickets.select(Tickets.TICKET_ID, Tickets.CUSTOMER_ID, Tickets.CHANNEL, Tickets.TAGS,
                Tickets.CREATED_AT);
        Dataset<Row> failed = failedPayments.select(col(FAILED_CUSTOMER_ID).as("_f_customer"),
                col(FAILED_ATTEMPTED_AT).as("_f_at"));
        Dataset<Row> priorFailed = base.join(failed, col(Tickets.CUSTOMER_ID).equalTo(col("_f_customer"))
                        .and(col("_f_at").lt(col(Tickets.CREATED_AT))), "inner")
                .groupBy(Tickets.TICKET_ID).agg(count(lit(1)).as(AgentVsChurn.PRIOR_FAILED_PAYMENTS));
        return base
                .join(prior, col(Tickets.TICKET_ID).equalTo(col("_p_ticket")), "left")
                .join(firstStart, col(Tickets.CUSTOMER_ID).equalTo(col("_s_customer")), "left")
                .join(priorFailed, Seqs.of(Tickets.TICKET_ID), "left")
                .withColumn(AgentVsChurn.TENURE_DAYS,
                        coalesce(greatest(lit(0), datediff(col(Tickets.CREATED_AT), col("_first_start"))), lit(0)))
                .withColumn(AgentVsChurn.PRIOR_TICKETS, coalesce(col(AgentVsChurn.PRIOR_TICKETS), lit(0)))
                .withColumn(AgentVsChurn.PRIOR_FAILED_PAYMENTS,
                        coalesce(col(AgentVsChurn.PRIOR_FAILED_PAYMENTS), lit(0L)))
                .select(Tickets.TICKET_ID, Tickets.CUSTOMER_ID, Tickets.CHANNEL, Tickets.TAGS, Tickets.CREATED_AT,
                        AgentVsChurn.TENURE_DAYS, AgentVsChurn.PRIOR_TICKETS, AgentVsChurn.PRIOR_FAILED_PAYMENTS);
    }
}
