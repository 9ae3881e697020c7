package io.supportroi.analytics;

import io.supportroi.model.Tickets;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.sql.Timestamp;
import java.time.Duration;

import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * What happened to each ticket's customer within the horizon H (SPEC §4): retained, and the revenue they brought.
 * Tickets whose window ends after as-of are censored and left out; so are tickets with no known customer.
 */
public final class TicketOutcomes {
    private TicketOutcomes() {}

    public static final String HORIZON_END = "horizon_end";
    public static final String RETAINED = "retained";
    public static final String REVENUE_H = "revenue_h";

    public static Dataset<Row> apply(Dataset<Row> tickets, Dataset<Row> timeline, Timestamp asOfEnd, int horizonDays) {
        Column created = col(Tickets.CREATED_AT);
        Column horizonEnd = created.plus(lit(Duration.ofDays(horizonDays)));
        Dataset<Row> eligible = tickets
                .filter(col(Tickets.CUSTOMER_ID).isNotNull().and(created.isNotNull()))
                .withColumn(HORIZON_END, horizonEnd)
                .filter(col(HORIZON_END).leq(lit(asOfEnd)));
        Dataset<Row> joined = eligible.join(timeline,
                eligible.col(Tickets.CUSTOMER_ID).equalTo(timeline.col(CustomerTimeline.CUSTOMER_ID)), "left")
                .drop(timeline.col(CustomerTimeline.CUSTOMER_ID));
        Column subs = coalesce(col(CustomerTimeline.SUBSCRIPTIONS),
                org.apache.spark.sql.functions.array().cast(
                        timeline.schema().apply(CustomerTimeline.SUBSCRIPTIONS).dataType()));
        Column orders = coalesce(col(CustomerTimeline.ORDERS),
                org.apache.spark.sql.functions.array().cast(
                        timeline.schema().apply(CustomerTimeline.ORDERS).dataType()));
        Column h = col(HORIZON_END);
        Column everSubscribed = exists(subs, s -> s.getField(CustomerTimeline.STARTED_AT).leq(h));
        Column activeAtHorizon = exists(subs, s -> s.getField(CustomerTimeline.STARTED_AT).leq(h)
                .and(s.getField(CustomerTimeline.ENDED_AT).isNull().or(s.getField(CustomerTimeline.ENDED_AT).gt(h))));
        Column inWindow = filter(orders, o -> o.getField(CustomerTimeline.ORDERED_AT).gt(col(Tickets.CREATED_AT))
                .and(o.getField(CustomerTimeline.ORDERED_AT).leq(h)));
        Column orderedInWindow = exists(orders, o -> o.getField(CustomerTimeline.ORDERED_AT).gt(col(Tickets.CREATED_AT))
                .and(o.getField(CustomerTimeline.ORDERED_AT).leq(h)));
        Column revenue = aggregate(inWindow, lit(0).cast("decimal(28,2)"),
                (acc, o) -> acc.plus(coalesce(o.getField(CustomerTimeline.TOTAL), lit(0))).cast("decimal(28,2)"));
        return joined
                .withColumn(RETAINED, when(everSubscribed, activeAtHorizon).otherwise(orderedInWindow))
                .withColumn(REVENUE_H, revenue)
                .drop(CustomerTimeline.SUBSCRIPTIONS, CustomerTimeline.ORDERS);
    }
}
