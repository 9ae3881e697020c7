package io.supportroi.model;

import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

/** {@code silver.customers}: one row per resolved customer, with the id it has in each source. */
public final class Customers {
    private Customers() {}

    public static final TableRef TABLE = TableRef.silver("customers");

    public static final String CUSTOMER_ID = "customer_id";
    public static final String EMAIL = "email";
    public static final String NAME = "name";
    public static final String ZENDESK_USER_ID = "zendesk_user_id";
    public static final String GORGIAS_CUSTOMER_ID = "gorgias_customer_id";
    public static final String SHOPIFY_CUSTOMER_ID = "shopify_customer_id";
    public static final String STRIPE_CUSTOMER_ID = "stripe_customer_id";
    public static final String FIRST_SEEN_AT = "first_seen_at";

    /**
     * @param observations {@link CustomerIdentities#observations} (sightings with or without a source id)
     * @param identities   {@link CustomerIdentities#apply} (the resolved source ids)
     */
    public static Dataset<Row> apply(Dataset<Row> observations, Dataset<Row> identities) {
        // Email-only sightings (a Shopify guest checkout) are customers too, resolved by email alone.
        Dataset<Row> emailOnly = observations.filter(col(CustomerIdentities.SOURCE_ID).isNull())
                .select(Identity.customerIdFromEmail(col(CustomerIdentities.EMAIL)).as(CUSTOMER_ID),
                        col(CustomerIdentities.SOURCE), col(CustomerIdentities.SOURCE_ID),
                        col(CustomerIdentities.EMAIL), col(CustomerIdentities.NAME),
                        col(CustomerIdentities.FIRST_SEEN_AT));
        Dataset<Row> all = identities.select(col(CustomerIdentities.CUSTOMER_ID).as(CUSTOMER_ID),
                        col(CustomerIdentities.SOURCE), col(CustomerIdentities.SOURCE_ID),
                        col(CustomerIdentities.EMAIL), col(CustomerIdentities.NAME),
                        col(CustomerIdentities.FIRST_SEEN_AT))
                .unionByName(emailOnly);
        Column seen = col(CustomerIdentities.FIRST_SEEN_AT);
        return all.groupBy(CUSTOMER_ID)
                .agg(min(col(CustomerIdentities.EMAIL)).as(EMAIL),
                        Identity.latestSighting(col(CustomerIdentities.NAME), seen).as(NAME),
                        min(idOf(CustomerIdentities.ZENDESK)).as(ZENDESK_USER_ID),
                        min(idOf(CustomerIdentities.GORGIAS)).as(GORGIAS_CUSTOMER_ID),
                        min(idOf(CustomerIdentities.SHOPIFY)).as(SHOPIFY_CUSTOMER_ID),
                        min(idOf(CustomerIdentities.STRIPE)).as(STRIPE_CUSTOMER_ID),
                        min(seen).as(FIRST_SEEN_AT));
    }

    private static Column idOf(String source) {
        return when(col(CustomerIdentities.SOURCE).equalTo(source), col(CustomerIdentities.SOURCE_ID));
    }
}
