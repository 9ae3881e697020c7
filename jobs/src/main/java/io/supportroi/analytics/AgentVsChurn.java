package io.supportroi.analytics;

import io.supportroi.analytics.pnl.SupportAttribution;
import io.supportroi.config.Settings;
import io.supportroi.model.Agents;
import io.supportroi.model.RenewalAttempts;
import io.supportroi.model.Subscriptions;
import io.supportroi.model.Tickets;
import io.supportroi.ops.Seqs;
import io.supportroi.ops.TableRef;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.CountVectorizerModel;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.dense_rank;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * {@code gold.agent_vs_churn}: for each agent who solved tickets, how often the customers of those tickets churned
 * within W days, against how often a model says they would have churned given only what was known before the agent
 * acted (channel, tenure, prior tickets, prior failed payments, ticket tags). The difference is the agent's excess
 * churn; selling earns {@code sales_credit} only when excess churn is not significantly above zero.
 */
public final class AgentVsChurn {
    private AgentVsChurn() {}

    public static final TableRef TABLE = TableRef.gold("agent_vs_churn");

    public static final String AGENT_ID = "agent_id";
    public static final String AGENT_NAME = "agent_name";
    public static final String TICKETS = "tickets";
    public static final String CUSTOMERS = "customers";
    public static final String CHURNED = "churned";
    public static final String CHURN_RATE = "churn_rate";
    public static final String EXPECTED_CHURN_RATE = "expected_churn_rate";
    public static final String EXCESS_CHURN = "excess_churn";
    public static final String CI_LOW = "ci_low";
    public static final String CI_HIGH = "ci_high";
    public static final String CSAT = "csat";
    public static final String SALES_REVENUE = "sales_revenue";
    public static final String SALES_CREDIT = "sales_credit";
    public static final String LOW_VOLUME = "low_volume";
    public static final String EXCESS_CHURN_RANK = "excess_churn_rank";

    /** Per-ticket columns of the churn model. */
    public static final String CHURN = "churn";
    public static final String TENURE_DAYS = "tenure_days";
    public static final String PRIOR_TICKETS = "prior_tickets";
    public static final String PRIOR_FAILED_PAYMENTS = "prior_failed_payments";
    public static final String EXPECTED = "expected_churn";

    /** Columns the caller's agent reference must have. */
    public static final String REF_AGENT_ID = "agent_id";
    public static final String REF_AGENT_NAME = "agent_name";
    public static final String REF_DISCOUNT_CODE = "discount_code";

    /** The agent reference this table reads, from silver.agents: agent_id, agent_name, discount_code. */
    public static Dataset<Row> reference(Dataset<Row> agents) {
        return agents.select(col(Agents.AGENT_ID).as(REF_AGENT_ID), col(Agents.NAME).as(REF_AGENT_NAME),
                col(Agents.DISCOUNT_CODE).as(REF_DISCOUNT_CODE));
    }

    /** The failed payments {@link #churnTickets} reads, from silver.renewal_attempts: customer_id, attempted_at. */
    public static Dataset<Row> failedPayments(Dataset<Row> renewalAttempts) {
        return renewalAttempts.filter(col(RenewalAttempts.OUTCOME).equalTo(RenewalAttempts.FAILED))
                .select(col(RenewalAttempts.CUSTOMER_ID).as("customer_id"),
                        col(RenewalAttempts.ATTEMPTED_AT).as("attempted_at"));
    }

    /**
     * Churn-eligible tickets: solved by a known agent, for a customer with a subscription active at the ticket,
     * with the W-day window over by as-of; {@code churn} per SPEC §4 and the model's features.
     *
     * @param failedPayments customer_id, attempted_at of failed renewal attempts (may be empty)
     */
    public static Dataset<Row> churnTickets(Dataset<Row> tickets, Dataset<Row> subscriptions, Dataset<Row> failedPayments,
                                            Timestamp asOfEnd, int windowDays) {
        Dataset<Row> subs = subscriptions.filter(col(Subscriptions.CUSTOMER_ID).isNotNull())
                .groupBy(col(Subscriptions.CUSTOMER_ID).as("_s_customer"))
                .agg(org.apache.spark.sql.functions.collect_list(org.apache.spark.sql.functions.struct(
                                col(Subscriptions.STARTED_AT).as("s"), col(Subscriptions.ENDED_AT).as("e"))).as("_subs"),
                        min(Subscriptions.STARTED_AT).as("_first_start"));
        var byCustomer = Window.partitionBy(Tickets.CUSTOMER_ID).orderBy(Tickets.CREATED_AT, Tickets.TICKET_ID);
        Dataset<Row> withPrior = tickets.filter(col(Tickets.CUSTOMER_ID).isNotNull())
                .withColumn(PRIOR_TICKETS, row_number().over(byCustomer).minus(1));
        Column created = col(Tickets.CREATED_AT);
        Column windowEnd = created.plus(lit(Duration.ofDays(windowDays)));
        Column activeAtTicket = exists(col("_subs"), s -> s.getField("s").leq(created)
                .and(s.getField("e").isNull().or(s.getField("e").gt(created))));
        Column endsInWindow = exists(col("_subs"), s -> s.getField("s").leq(created)
                .and(s.getField("e").gt(created)).and(s.getField("e").leq(windowEnd)));
        Column activeAtEnd = exists(col("_subs"), s -> s.getField("s").leq(windowEnd)
                .and(s.getField("e").isNull().or(s.getField("e").gt(windowEnd))));
        Dataset<Row> eligible = withPrior
                .filter(col(Tickets.AGENT_ID).isNotNull().and(col(Tickets.RESOLUTION_HOURS).isNotNull()))
                .filter(windowEnd.leq(lit(asOfEnd)))
                .join(subs, col(Tickets.CUSTOMER_ID).equalTo(col("_s_customer")), "inner")
                .filter(activeAtTicket)
                .withColumn(CHURN, endsInWindow.and(activeAtEnd.equalTo(false)))
                .withColumn(TENURE_DAYS, greatest(lit(0), datediff(created, col("_first_start"))));
        Dataset<Row> failures = failedPayments.select(col("customer_id").as("_f_customer"), col("attempted_at").as("_f_at"));
        Dataset<Row> priorFailed = eligible.select(Tickets.TICKET_ID, Tickets.CUSTOMER_ID, Tickets.CREATED_AT)
                .join(failures, col(Tickets.CUSTOMER_ID).equalTo(col("_f_customer"))
                        .and(col("_f_at").lt(col(Tickets.CREATED_AT))), "inner")
                .groupBy(Tickets.TICKET_ID).agg(count(lit(1)).as(PRIOR_FAILED_PAYMENTS));
        return eligible.join(priorFailed, Seqs.of(Tickets.TICKET_ID), "left")
                .withColumn(PRIOR_FAILED_PAYMENTS, coalesce(col(PRIOR_FAILED_PAYMENTS), lit(0L)))
                .select(Tickets.TICKET_ID, Tickets.CUSTOMER_ID, Tickets.AGENT_ID, Tickets.CHANNEL, Tickets.TAGS,
                        Tickets.CREATED_AT, CHURN, TENURE_DAYS, PRIOR_TICKETS, PRIOR_FAILED_PAYMENTS);
    }

    /**
     * Fits a logistic regression of churn on what was known before the agent acted — never the agent or the speed —
     * and adds each ticket's predicted churn probability as {@code expected_churn}.
     */
    public static Dataset<Row> withExpectedChurn(Dataset<Row> churnTickets) {
        return withExpectedChurn(churnTickets, fitChurn(churnTickets));
    }

    /** As {@link #withExpectedChurn(Dataset)}, with a model already fitted on these tickets. */
    public static Dataset<Row> withExpectedChurn(Dataset<Row> churnTickets, ChurnFit fit) {
        return fit.score(modelInputs(churnTickets), EXPECTED).select(churnTickets.col("*"), col(EXPECTED));
    }

    /**
     * The churn model fitted on {@link #churnTickets}; fitted once a night and shared by agent_vs_churn and the
     * ticket priority queue, since fitting is most of what either costs.
     */
    public static ChurnFit fitChurn(Dataset<Row> churnTickets) {
        // One partition in ticket order, and the tags in name order: L-BFGS adds its gradients partition by partition
        // in the order tasks finish, and CountVectorizer orders equally frequent tags arbitrarily, so otherwise the
        // same tickets fit a model that differs in its last digits from run to run and core count to core count.
        // Read three times (labels, tags, the fit itself): computed once.
        Dataset<Row> prepared = modelInputs(churnTickets).withColumn(LABEL, when(col(CHURN), 1.0).otherwise(0.0))
                .repartition(1).sortWithinPartitions(Tickets.TICKET_ID).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            if (prepared.select(LABEL).distinct().count() < 2) {
                // Everyone churned or nobody did: the model has nothing to learn; the expectation is the observed
                // rate (0 without history).
                Row r = prepared.agg(avg(LABEL)).head();
                return new ChurnFit(null, r.isNullAt(0) ? 0.0 : r.getDouble(0));
            }
            String[] tags = prepared.select(explode(col(TAG_LIST)).as(TAG)).distinct()
                    .transform(Bounded.sortedBy(col(TAG)))
                    .as(Encoders.STRING()).collectAsList().toArray(String[]::new);
            return new ChurnFit(churnModel(tags).fit(prepared), Double.NaN);
        } finally {
            prepared.unpersist();
        }
    }

    /** A fitted churn model, or, when there was nothing to learn, the one rate every ticket gets. */
    public record ChurnFit(PipelineModel model, double rate) {
        /** {@code inputs} ({@link #modelInputs} output) with each row's churn probability as column {@code as}. */
        public Dataset<Row> score(Dataset<Row> inputs, String as) {
            return model == null ? inputs.withColumn(as, lit(rate))
                    : model.transform(inputs).withColumn(as, churnProbability());
        }
    }

    /** The 0/1 churn label column the model is fitted on. */
    public static final String LABEL = "_label";

    /** A ticket's tags as the model reads them (none rather than null), and one tag of them. */
    private static final String TAG_LIST = "_tags";
    private static final String TAG = "_tag";

    /**
     * The model's inputs from the features of {@link #churnTickets} (tenure, prior tickets, prior failed payments,
     * channel, tags): counts on a log scale, missing tags as none.
     */
    public static Dataset<Row> modelInputs(Dataset<Row> tickets) {
        return tickets
                .withColumn("_tenure", log1p(col(TENURE_DAYS).cast("double")))
                .withColumn("_prior_tickets", log1p(col(PRIOR_TICKETS).cast("double")))
                .withColumn("_prior_failed", log1p(col(PRIOR_FAILED_PAYMENTS).cast("double")))
                .withColumn(TAG_LIST, coalesce(col(Tickets.TAGS), array().cast("array<string>")));
    }

    /**
     * The churn model, unfitted: channel one-hot, a binary bag of {@code tags} and the three counts, into a logistic
     * regression of {@link #LABEL}. One definition for agent_vs_churn and the ticket priority queue.
     */
    public static Pipeline churnModel(String[] tags) {
        List<PipelineStage> stages = new ArrayList<>();
        stages.add(new StringIndexer().setInputCol(Tickets.CHANNEL).setOutputCol("_channel_idx")
                .setHandleInvalid("keep"));
        stages.add(new OneHotEncoder().setInputCol("_channel_idx").setOutputCol("_channel_vec")
                .setHandleInvalid("keep"));
        List<String> features = new ArrayList<>(List.of("_channel_vec", "_tenure", "_prior_tickets", "_prior_failed"));
        // No ticket carries a tag: no bag of tags (an empty vocabulary is not a valid model).
        if (tags.length > 0) {
            stages.add(new CountVectorizerModel(tags).setInputCol(TAG_LIST).setOutputCol("_tags_vec").setBinary(true));
            features.add(1, "_tags_vec");
        }
        stages.add(new VectorAssembler().setInputCols(features.toArray(String[]::new)).setOutputCol("_features"));
        stages.add(new LogisticRegression().setFeaturesCol("_features").setLabelCol(LABEL)
                .setProbabilityCol("_probability").setRegParam(1e-4).setMaxIter(100));
        return new Pipeline().setStages(stages.toArray(PipelineStage[]::new));
    }

    /** The fitted model's churn probability, from the output of {@link #churnModel}'s transform. */
    public static Column churnProbability() {
        return vector_to_array(col("_probability"), "float64").getItem(1);
    }

    /**
     * Orders attributed to agents by {@link SupportAttribution#orders}: the agent's discount code first, then the
     * welcome-upsell and win-back outreach the order converted. Each order counts once; an order credited to an
     * outreach without an agent earns no agent anything.
     */
    public static Dataset<Row> salesRevenue(Dataset<Row> orders, Dataset<Row> tickets, Dataset<Row> agents,
                                            Settings.CampaignSettings campaigns) {
        Dataset<Row> reference = agents.select(col(REF_AGENT_ID).as(SupportAttribution.REF_AGENT_ID),
                col(REF_DISCOUNT_CODE).as(SupportAttribution.REF_DISCOUNT_CODE));
        return salesRevenue(SupportAttribution.orders(orders, tickets, reference, campaigns));
    }

    /** As above, from the orders the run has attributed ({@link SupportAttribution.Attributed#orders}). */
    public static Dataset<Row> salesRevenue(Dataset<Row> attributedOrders) {
        return attributedOrders
                .filter(col(SupportAttribution.AGENT_ID).isNotNull())
                .groupBy(col(SupportAttribution.AGENT_ID).as(AGENT_ID))
                .agg(sum(SupportAttribution.TOTAL).cast("decimal(18,2)").as(SALES_REVENUE));
    }

    /**
     * @param scored {@link #withExpectedChurn} output
     * @param agents agent reference: agent_id, agent_name, discount_code
     */
    public static Dataset<Row> apply(Dataset<Row> scored, Dataset<Row> tickets, Dataset<Row> agents, Dataset<Row> sales,
                                     Settings.AnalyticsSettings settings) {
        double z = settings.wilsonZ();
        Dataset<Row> churn = scored.groupBy(AGENT_ID).agg(
                count(lit(1)).as(TICKETS),
                count_distinct(col(Tickets.CUSTOMER_ID)).as(CUSTOMERS),
                sum(when(col(CHURN), 1L).otherwise(0L)).as(CHURNED),
                avg(EXPECTED).as(EXPECTED_CHURN_RATE));
        Dataset<Row> csat = tickets.filter(col(Tickets.AGENT_ID).isNotNull())
                .groupBy(col(Tickets.AGENT_ID).as(AGENT_ID))
                .agg(avg(col(Tickets.CSAT).cast("double")).as(CSAT));
        Dataset<Row> names = agents.select(col(REF_AGENT_ID).as(AGENT_ID), col(REF_AGENT_NAME).as(AGENT_NAME));
        Column n = col(TICKETS);
        Column rate = col(CHURNED).cast("double").divide(n.cast("double"));
        Column significant = col(CI_LOW).gt(0.0);
        Dataset<Row> joined = churn.join(csat, Seqs.of(AGENT_ID), "left")
                .join(names, Seqs.of(AGENT_ID), "left")
                .join(sales, Seqs.of(AGENT_ID), "left")
                .withColumn(CHURN_RATE, rate)
                .withColumn(EXCESS_CHURN, col(CHURN_RATE).minus(col(EXPECTED_CHURN_RATE)))
                // Interval of the excess: the churn rate's Wilson interval less the expectation, which is an average of
                // model predictions over many tickets and far less uncertain than the agent's own rate.
                .withColumn(CI_LOW, Wilson.low(col(CHURNED), n, z).minus(col(EXPECTED_CHURN_RATE)))
                .withColumn(CI_HIGH, Wilson.high(col(CHURNED), n, z).minus(col(EXPECTED_CHURN_RATE)))
                .withColumn(SALES_REVENUE, coalesce(col(SALES_REVENUE), lit(0).cast("decimal(18,2)")))
                .withColumn(SALES_CREDIT, when(significant, lit(0).cast("decimal(18,2)")).otherwise(col(SALES_REVENUE)))
                .withColumn(LOW_VOLUME, col(CUSTOMERS).lt(settings.agentMinCustomers()));
        var ranking = Window.partitionBy(LOW_VOLUME).orderBy(col(EXCESS_CHURN).desc(), col(AGENT_ID));
        return joined
                .withColumn(EXCESS_CHURN_RANK, when(col(LOW_VOLUME), lit(null).cast("int"))
                        .otherwise(dense_rank().over(ranking)))
                .select(AGENT_ID, AGENT_NAME, TICKETS, CUSTOMERS, CHURNED, CHURN_RATE, EXPECTED_CHURN_RATE, EXCESS_CHURN,
                        CI_LOW, CI_HIGH, CSAT, SALES_REVENUE, SALES_CREDIT, LOW_VOLUME, EXCESS_CHURN_RANK)
                .transform(Bounded.sortedBy(col(LOW_VOLUME), col(EXCESS_CHURN).desc(), col(AGENT_ID)));
    }
}
