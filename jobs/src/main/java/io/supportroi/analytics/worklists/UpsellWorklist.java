package io.supportroi.analytics.worklists;

import io.supportroi.config.Settings;
import io.supportroi.model.Customers;
import io.supportroi.model.Subscriptions;
import io.supportroi.model.Tickets;
import io.supportroi.ops.Seqs;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import java.sql.Timestamp;
import java.util.List;

import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trunc;

/**
 * {@code gold.upsell_worklist}: new subscribers who signed up on or after the month's box cut-off, so they miss the
 * upcoming box, and whom support has not yet offered it (no welcome-upsell ticket since sign-up). One row per
 * customer; definition in docs/definitions.md (Worklists).
 */
public final class UpsellWorklist {
    private UpsellWorklist() {}

    public static final TableRef TABLE = TableRef.gold("upsell_worklist");

    public static final String CUSTOMER_ID = "customer_id";
    public static final String EMAIL = "email";
    public static final String NAME = "name";
    public static final String SUBSCRIPTION_ID = "subscription_id";
    public static final String SIGNED_UP_AT = "signed_up_at";
    /** The next box cut-off after sign-up: the upcoming box ships then, and the offer is moot from that day. */
    public static final String UPCOMING_BOX_CUTOFF = "upcoming_box_cutoff";
    public static final String FIRST_RENEWAL_EXPECTED = "first_renewal_expected";
    public static final String CONTACTED = "contacted";
    public static final String CUSTOMER_VALUE = CustomerValue.VALUE;
    public static final String AS_OF = "as_of";

    public static final List<String> COLUMNS = List.of(CUSTOMER_ID, EMAIL, NAME, SUBSCRIPTION_ID, SIGNED_UP_AT,
            UPCOMING_BOX_CUTOFF, FIRST_RENEWAL_EXPECTED, CONTACTED, CUSTOMER_VALUE, AS_OF);
    /** Those whose offer expires first come first. */
    public static final List<String> EXPORT_ORDER = List.of(UPCOMING_BOX_CUTOFF, SIGNED_UP_AT, CUSTOMER_ID);

    /**
     * @param subscriptions silver.subscriptions; a customer's first subscription makes them a new subscriber
     * @param tickets       silver.tickets; an upsell-campaign ticket since sign-up means already contacted
     * @param customers     silver.customers (email, name)
     * @param customerValue {@link CustomerValue#apply}
     */
    public static Dataset<Row> apply(Dataset<Row> subscriptions, Dataset<Row> tickets, Dataset<Row> customers,
                                     Dataset<Row> customerValue, Timestamp asOfEnd,
                                     Settings.WorklistSettings settings) {
        Column end = lit(asOfEnd);
        int cutoff = settings.boxCutoffDay();
        Column signupMonth = trunc(to_date(col(SIGNED_UP_AT)), "month");
        Dataset<Row> firstSubscription = subscriptions
                .filter(col(Subscriptions.CUSTOMER_ID).isNotNull().and(col(Subscriptions.STARTED_AT).leq(end)))
                .withColumn("_rn", row_number().over(Window.partitionBy(Subscriptions.CUSTOMER_ID)
                        .orderBy(col(Subscriptions.STARTED_AT), col(Subscriptions.SUBSCRIPTION_ID))))
                .filter(col("_rn").equalTo(1))
                .select(col(Subscriptions.CUSTOMER_ID).as(CUSTOMER_ID),
                        col(Subscriptions.SUBSCRIPTION_ID).as(SUBSCRIPTION_ID),
                        col(Subscriptions.STARTED_AT).as(SIGNED_UP_AT), col(Subscriptions.ENDED_AT).as("_ended_at"));
        // Signing up on or after the cut-off day, the sign-up pays for a later box and the first renewal is two
        // cut-offs away (the generator's afterCutOff): this month's box is missed unless support sells it.
        Dataset<Row> afterCutoff = firstSubscription
                .filter(dayofmonth(col(SIGNED_UP_AT)).geq(cutoff))
                .withColumn(UPCOMING_BOX_CUTOFF, date_add(add_months(signupMonth, 1), cutoff - 1))
                .withColumn(FIRST_RENEWAL_EXPECTED, date_add(add_months(signupMonth, 2), cutoff - 1))
                // On the list until the day before the upcoming cut-off, while still subscribed.
                .filter(to_date(end).lt(col(UPCOMING_BOX_CUTOFF)))
                .filter(col("_ended_at").isNull().or(col("_ended_at").gt(end)));

        Dataset<Row> outreach = tickets.filter(col(Tickets.CAMPAIGN).equalTo(Tickets.CAMPAIGN_UPSELL)
                        .and(col(Tickets.CREATED_AT).leq(end)))
                .select(col(Tickets.CUSTOMER_ID).as("_o_customer"), col(Tickets.CREATED_AT).as("_o_at"));
        Dataset<Row> notContacted = afterCutoff.join(outreach, col(CUSTOMER_ID).equalTo(col("_o_customer"))
                .and(col("_o_at").geq(col(SIGNED_UP_AT))), "left_anti");

        Dataset<Row> contact = customers.select(col(Customers.CUSTOMER_ID).as(CUSTOMER_ID),
                col(Customers.EMAIL).as(EMAIL), col(Customers.NAME).as(NAME));
        Dataset<Row> value = customerValue.select(col(CustomerValue.CUSTOMER_ID).as(CUSTOMER_ID), col(CustomerValue.VALUE));
        return notContacted
                .join(contact, Seqs.of(CUSTOMER_ID), "left")
                .join(value, Seqs.of(CUSTOMER_ID), "left")
                .withColumn(CUSTOMER_VALUE, CustomerValue.orZero())
                // Always false here: the column says so explicitly to whoever opens the export.
                .withColumn(CONTACTED, lit(false))
                .withColumn(AS_OF, to_date(end))
                .select(COLUMNS.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
    }
}
