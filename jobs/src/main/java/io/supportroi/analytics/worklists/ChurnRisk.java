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
        Dataset<Row> features = features(openTickets, allTickets, subscriptions, failedPayments);
        Dataset<Row> labelled = AgentVsChurn.modelInputs(training)
                .withColumn(AgentVsChurn.LABEL, when(col(AgentVsChurn.CHURN), 1.0).otherwise(0.0));
        if (labelled.select(AgentVsChurn.LABEL).distinct().count() < 2) {
            // No outcome to learn from (a young business) or a single one: every ticket gets the observed churn rate
            // (0 without history), so the queue ranks by customer value alone.
            Row r = labelled.agg(avg(AgentVsChurn.LABEL)).head();
            double rate = r.isNullAt(0) ? 0.0 : r.getDouble(0);
            return features.select(col(TICKET_ID), lit(rate).as(CHURN_RISK));
        }
        PipelineModel model = AgentVsChurn.churnModel().fit(labelled);
        return model.transform(AgentVsChurn.modelInputs(features))
                .select(col(TICKET_ID), AgentVsChurn.churnProbability().as(CHURN_RISK));
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
