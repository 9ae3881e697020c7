package io.supportroi.analytics.worklists;

import io.supportroi.config.Settings;
import io.supportroi.model.Customers;
import io.supportroi.model.RenewalAttempts;
import io.supportroi.model.Subscriptions;
import io.supportroi.model.Tickets;
import io.supportroi.ops.Seqs;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

/**
 * {@code gold.winback_worklist}: subscribers whose renewal still failed when dunning ended, for support to win back
 * (SPEC §5). One row per customer; the definition of "on the list as of D" is in docs/definitions.md (Worklists).
 */
public final class WinbackWorklist {
    private WinbackWorklist() {}

    public static final TableRef TABLE = TableRef.gold("winback_worklist");

    public static final String CUSTOMER_ID = "customer_id";
    public static final String EMAIL = "email";
    public static final String NAME = "name";
    public static final String SUBSCRIPTION_ID = "subscription_id";
    public static final String INVOICE_ID = "invoice_id";
    public static final String FAILED_AT = "failed_at";
    public static final String DUNNING_ENDED_AT = "dunning_ended_at";
    public static final String AMOUNT_DUE = "amount_due";
    public static final String CUSTOMER_VALUE = CustomerValue.VALUE;
    public static final String LAST_TICKET_ID = "last_ticket_id";
    public static final String LAST_TICKET_CREATED_AT = "last_ticket_created_at";
    public static final String LAST_TICKET_STATUS = "last_ticket_status";
    public static final String WINBACK_TICKET_AT = "winback_ticket_at";
    public static final String ALREADY_CONTACTED = "already_contacted";
    public static final String AS_OF = "as_of";

    public static final List<String> COLUMNS = List.of(CUSTOMER_ID, EMAIL, NAME, SUBSCRIPTION_ID, INVOICE_ID,
            FAILED_AT, DUNNING_ENDED_AT, AMOUNT_DUE, CUSTOMER_VALUE, LAST_TICKET_ID, LAST_TICKET_CREATED_AT,
            LAST_TICKET_STATUS, WINBACK_TICKET_AT, ALREADY_CONTACTED, AS_OF);
    /** The order a team works the list: not yet contacted first, then those waiting longest since dunning ended. */
    public static final List<String> EXPORT_ORDER = List.of(ALREADY_CONTACTED, DUNNING_ENDED_AT, CUSTOMER_ID);

    /**
     * @param attempts      silver.renewal_attempts (invoice_id, subscription_id, customer_id, attempted_at, amount,
     *                      outcome); only attempts made by as-of count, so a payment after as-of is not known yet
     * @param subscriptions silver.subscriptions
     * @param tickets       silver.tickets
     * @param customers     silver.customers (email, name)
     * @param customerValue {@link CustomerValue#apply}
     */
    public static Dataset<Row> apply(Dataset<Row> attempts, Dataset<Row> subscriptions, Dataset<Row> tickets,
                                     Dataset<Row> customers, Dataset<Row> customerValue, Timestamp asOfEnd,
                                     Settings.CampaignSettings campaigns) {
        Column end = lit(asOfEnd);
        Dataset<Row> unpaid = attempts.filter(col(RenewalAttempts.ATTEMPTED_AT).leq(end))
                .groupBy(col(RenewalAttempts.INVOICE_ID).as(INVOICE_ID))
                .agg(max(col(RenewalAttempts.SUBSCRIPTION_ID)).as(SUBSCRIPTION_ID),
                        max(col(RenewalAttempts.CUSTOMER_ID)).as(CUSTOMER_ID),
                        min(when(col(RenewalAttempts.OUTCOME).equalTo(RenewalAttempts.FAILED),
                                col(RenewalAttempts.ATTEMPTED_AT))).as(FAILED_AT),
                        min(when(col(RenewalAttempts.OUTCOME).equalTo(RenewalAttempts.PAID),
                                col(RenewalAttempts.ATTEMPTED_AT))).as("_paid_at"),
                        max(col(RenewalAttempts.AMOUNT)).cast(CustomerValue.MONEY).as(AMOUNT_DUE))
                .filter(col(FAILED_AT).isNotNull().and(col("_paid_at").isNull()).and(col(CUSTOMER_ID).isNotNull()))
                .withColumn(DUNNING_ENDED_AT, col(FAILED_AT).plus(lit(Duration.ofDays(campaigns.dunningWindowDays()))))
                .filter(col(DUNNING_ENDED_AT).leq(end));

        // A billing system that cancels on the last retry ends the subscription with payment_failed before dunning
        // is over: those are exactly the people to win back. Any other ending (the customer cancelled, or billing
        // gave up after the win-back period: lost) takes them off the list.
        Dataset<Row> subs = subscriptions.select(col(Subscriptions.SUBSCRIPTION_ID).as("_s_id"),
                col(Subscriptions.ENDED_AT).as("_ended_at"), col(Subscriptions.END_REASON).as("_end_reason"));
        Column stillOpen = col("_ended_at").isNull().or(col("_ended_at").gt(end))
                .or(coalesce(col("_end_reason"), lit("")).equalTo(Subscriptions.PAYMENT_FAILED)
                        .and(col("_ended_at").leq(col(DUNNING_ENDED_AT))));
        Dataset<Row> open = unpaid.join(subs, col(SUBSCRIPTION_ID).equalTo(col("_s_id")), "left").filter(stillOpen);

        // The first win-back ticket since the renewal failed; the list keeps following the customer for the
        // conversion window after it (a payment then is a recovery by support, SPEC §5), then lets go.
        Dataset<Row> winbacks = tickets.filter(col(Tickets.CAMPAIGN).equalTo(Tickets.CAMPAIGN_WINBACK)
                        .and(col(Tickets.CREATED_AT).leq(end)))
                .select(col(Tickets.CUSTOMER_ID).as("_w_customer"), col(Tickets.CREATED_AT).as("_w_at"));
        Dataset<Row> contacted = open.select(INVOICE_ID, CUSTOMER_ID, FAILED_AT)
                .join(winbacks, col(CUSTOMER_ID).equalTo(col("_w_customer")).and(col("_w_at").geq(col(FAILED_AT))))
                .groupBy(INVOICE_ID).agg(min("_w_at").as(WINBACK_TICKET_AT));
        Column followUpEnds = col(WINBACK_TICKET_AT).plus(lit(Duration.ofDays(campaigns.conversionWindowDays())));
        Dataset<Row> listed = open.join(contacted, Seqs.of(INVOICE_ID), "left")
                .filter(col(WINBACK_TICKET_AT).isNull().or(end.lt(followUpEnds)))
                // Grain is the customer: their most recent failed renewal speaks for them.
                .withColumn("_rn", row_number().over(Window.partitionBy(CUSTOMER_ID)
                        .orderBy(col(FAILED_AT).desc(), col(INVOICE_ID).desc())))
                .filter(col("_rn").equalTo(1));

        Dataset<Row> lastTicket = tickets.filter(col(Tickets.CUSTOMER_ID).isNotNull().and(col(Tickets.CREATED_AT).leq(end)))
                .withColumn("_rn", row_number().over(Window.partitionBy(Tickets.CUSTOMER_ID)
                        .orderBy(col(Tickets.CREATED_AT).desc(), col(Tickets.TICKET_ID).desc())))
                .filter(col("_rn").equalTo(1))
                .select(col(Tickets.CUSTOMER_ID).as(CUSTOMER_ID), col(Tickets.TICKET_ID).as(LAST_TICKET_ID),
                        col(Tickets.CREATED_AT).as(LAST_TICKET_CREATED_AT), col(Tickets.STATUS).as(LAST_TICKET_STATUS));
        Dataset<Row> contact = customers.select(col(Customers.CUSTOMER_ID).as(CUSTOMER_ID),
                col(Customers.EMAIL).as(EMAIL), col(Customers.NAME).as(NAME));
        Dataset<Row> value = customerValue.select(col(CustomerValue.CUSTOMER_ID).as(CUSTOMER_ID), col(CustomerValue.VALUE));

        return listed.drop("_rn")
                .join(contact, Seqs.of(CUSTOMER_ID), "left")
                .join(value, Seqs.of(CUSTOMER_ID), "left")
                .join(lastTicket, Seqs.of(CUSTOMER_ID), "left")
                .withColumn(CUSTOMER_VALUE, CustomerValue.orZero())
                .withColumn(ALREADY_CONTACTED, col(WINBACK_TICKET_AT).isNotNull())
                .withColumn(AS_OF, to_date(end))
                .select(COLUMNS.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
    }
}
