package io.supportroi.model;

import io.supportroi.config.Settings;
import io.supportroi.ingest.Timestamps;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.when;

/** {@code silver.tickets}: one row per helpdesk ticket, latest version, with the metrics SPEC §5 defines. */
public final class Tickets {
    private Tickets() {}

    public static final TableRef TABLE = TableRef.silver("tickets");

    public static final String TICKET_ID = "ticket_id";
    public static final String SOURCE = "source";
    public static final String SOURCE_TICKET_ID = "source_ticket_id";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String AGENT_ID = "agent_id";
    public static final String CHANNEL = "channel";
    public static final String SOURCE_CHANNEL = "source_channel";
    public static final String STATUS = "status";
    public static final String CREATED_AT = "created_at";
    public static final String UPDATED_AT = "updated_at";
    public static final String SOLVED_AT = "solved_at";
    public static final String FIRST_RESPONSE_SECONDS = "first_response_seconds";
    public static final String RESOLUTION_HOURS = "resolution_hours";
    public static final String AGENT_REPLIES = "agent_replies";
    public static final String REOPENS = "reopens";
    public static final String CSAT = "csat";
    public static final String TAGS = "tags";
    public static final String CAMPAIGN = "campaign";

    public static final String CAMPAIGN_UPSELL = "upsell";
    public static final String CAMPAIGN_WINBACK = "winback";

    /** Statuses after which Zendesk counts a ticket as resolved. */
    static final String[] ZENDESK_SOLVED = {"solved", "closed"};

    /**
     * Zendesk tickets (bronze, every version) + ticket metrics + users + resolved identities to silver tickets.
     * The latest {@code updated_at} of a ticket wins; ties go to the record ingested last.
     */
    public static Dataset<Row> fromZendesk(Dataset<Row> tickets, Dataset<Row> metrics, Dataset<Row> users,
                                           Dataset<Row> identities, Settings settings) {
        Dataset<Row> latest = Latest.by(tickets, col("id"), Timestamps.parse(col("updated_at")));
        Dataset<Row> latestMetrics = Latest.by(metrics, col("ticket_id"), Timestamps.parse(col("updated_at")))
                .select(col("ticket_id").as("_m_ticket_id"),
                        coalesce(col("reply_time_in_seconds.calendar").cast("double"),
                                col("reply_time_in_minutes.calendar").cast("double").multiply(60.0)).as("_m_frs"),
                        col("full_resolution_time_in_minutes.calendar").cast("double").divide(60.0).as("_m_res"),
                        col("replies").as("_m_replies"),
                        col("reopens").as("_m_reopens"),
                        Timestamps.parse(col("solved_at")).as("_m_solved_at"));
        Dataset<Row> agents = Latest.by(users.filter(col("role").isin("agent", "admin")), col("id"),
                Timestamps.parse(coalesce(col("updated_at"), col("created_at"))))
                .select(col("id").as("_a_id"), Identity.normaliseEmail(col("email"), settings.identity()).as("_a_email"));
        Dataset<Row> zendeskIds = identities.filter(col(CustomerIdentities.SOURCE).equalTo(CustomerIdentities.ZENDESK))
                .select(col(CustomerIdentities.SOURCE_ID).as("_c_source_id"),
                        col(CustomerIdentities.CUSTOMER_ID).as("_c_customer_id"));

        Column solved = lower(col("status")).isin((Object[]) ZENDESK_SOLVED);
        return latest
                .join(latestMetrics, col("id").equalTo(col("_m_ticket_id")), "left")
                .join(agents, col("assignee_id").equalTo(col("_a_id")), "left")
                .join(zendeskIds, col("requester_id").cast("string").equalTo(col("_c_source_id")), "left")
                .select(
                        concat(lit("zendesk:"), col("id").cast("string")).as(TICKET_ID),
                        lit(CustomerIdentities.ZENDESK).as(SOURCE),
                        col("id").cast("string").as(SOURCE_TICKET_ID),
                        col("_c_customer_id").as(CUSTOMER_ID),
                        when(col("assignee_id").isNull(), lit(null))
                                .otherwise(coalesce(col("_a_email"),
                                        concat(lit("zendesk:"), col("assignee_id").cast("string")))).as(AGENT_ID),
                        Channels.normalise(col("via.channel"), settings.channels()).as(CHANNEL),
                        col("via.channel").as(SOURCE_CHANNEL),
                        col("status").as(STATUS),
                        Timestamps.parse(col("created_at")).as(CREATED_AT),
                        Timestamps.parse(col("updated_at")).as(UPDATED_AT),
                        when(solved, col("_m_solved_at")).as(SOLVED_AT),
                        col("_m_frs").as(FIRST_RESPONSE_SECONDS),
                        when(solved, col("_m_res")).as(RESOLUTION_HOURS),
                        col("_m_replies").as(AGENT_REPLIES),
                        col("_m_reopens").as(REOPENS),
                        when(lower(col("satisfaction_rating.score")).equalTo("good"), lit(1))
                                .when(lower(col("satisfaction_rating.score")).equalTo("bad"), lit(0))
                                .as(CSAT),
                        coalesce(col("tags"), org.apache.spark.sql.functions.array().cast("array<string>")).as(TAGS),
                        campaign(col("tags"), settings.campaigns()).as(CAMPAIGN));
    }

    static Column campaign(Column tags, Settings.CampaignSettings campaigns) {
        return when(array_contains(tags, campaigns.winbackTag()), lit(CAMPAIGN_WINBACK))
                .when(array_contains(tags, campaigns.upsellTag()), lit(CAMPAIGN_UPSELL));
    }
}
