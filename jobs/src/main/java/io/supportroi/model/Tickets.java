package io.supportroi.model;

import io.supportroi.config.Settings;
import io.supportroi.ingest.LandingSource;
import io.supportroi.ingest.Timestamps;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import java.util.List;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.array_min;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

/**
 * {@code silver.tickets}: one row per helpdesk ticket from every helpdesk (Zendesk, Gorgias, the canonical CSV),
 * latest version, with the metrics SPEC §5 defines. {@code ticket_id} is the source's id prefixed by the source
 * ("zendesk:123", "gorgias:456", "csv:T-1"), so ids of different helpdesks never collide.
 */
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
    public static final String HANDLE_SECONDS = "handle_seconds";

    /** Every column, in table order; each source's frame is selected into exactly this shape. */
    public static final List<String> COLUMNS = List.of(TICKET_ID, SOURCE, SOURCE_TICKET_ID, CUSTOMER_ID, AGENT_ID,
            CHANNEL, SOURCE_CHANNEL, STATUS, CREATED_AT, UPDATED_AT, SOLVED_AT, FIRST_RESPONSE_SECONDS,
            RESOLUTION_HOURS, AGENT_REPLIES, REOPENS, CSAT, TAGS, CAMPAIGN, HANDLE_SECONDS);

    public static final String SOURCE_ZENDESK = "zendesk";
    public static final String SOURCE_GORGIAS = "gorgias";
    public static final String SOURCE_CSV = "csv";

    public static final String CAMPAIGN_UPSELL = "upsell";
    public static final String CAMPAIGN_WINBACK = "winback";

    /** Statuses after which Zendesk counts a ticket as resolved. */
    static final String[] ZENDESK_SOLVED = {"solved", "closed"};
    /** Gorgias has two statuses, open and closed. */
    static final String[] GORGIAS_SOLVED = {"closed"};
    /** Canonical CSV: the words helpdesks use for a finished ticket. */
    static final String[] CSV_SOLVED = {"solved", "closed", "resolved"};
    /** Gorgias channel of a note agents leave for each other: never a reply to the customer. */
    static final String GORGIAS_INTERNAL_NOTE = "internal-note";

    /** All helpdesks in one table. */
    public static Dataset<Row> apply(BronzeTables b, Dataset<Row> identities, Settings settings) {
        return fromZendesk(b.get(LandingSource.ZENDESK_TICKETS), b.get(LandingSource.ZENDESK_TICKET_METRICS),
                b.get(LandingSource.ZENDESK_USERS), identities, settings)
                .unionByName(fromGorgias(b.get(LandingSource.GORGIAS_TICKETS),
                        b.get(LandingSource.GORGIAS_SATISFACTION_SURVEYS), identities, settings))
                .unionByName(fromCsv(b.get(LandingSource.CSV_TICKETS), identities, settings));
    }

    /**
     * Zendesk tickets (bronze, every version) + ticket metrics + users + resolved identities to silver tickets.
     * The latest {@code updated_at} of a ticket wins; ties go to the record ingested last. Metrics come from the
     * ticket_metrics export; a ticket without a metrics record gets what its own versions tell (see
     * {@link #zendeskHistory}); first response and replies then stay null.
     */
    public static Dataset<Row> fromZendesk(Dataset<Row> tickets, Dataset<Row> metrics, Dataset<Row> users,
                                           Dataset<Row> identities, Settings settings) {
        Dataset<Row> latest = Latest.by(tickets, col("id"), Timestamps.parse(col("updated_at")))
                // Zendesk exports deleted tickets with status "deleted": no longer a support interaction.
                .filter(coalesce(lower(col("status")), lit("")).notEqual("deleted"));
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
        Column created = Timestamps.parse(col("created_at"));
        Column solvedAt = coalesce(col("_m_solved_at"), col("_d_solved_at"));
        return latest
                .join(latestMetrics, col("id").equalTo(col("_m_ticket_id")), "left")
                .join(zendeskHistory(tickets), col("id").equalTo(col("_d_id")), "left")
                .join(agents, col("assignee_id").equalTo(col("_a_id")), "left")
                .join(zendeskIds, col("requester_id").cast("string").equalTo(col("_c_source_id")), "left")
                .select(
                        concat(lit(SOURCE_ZENDESK + ":"), col("id").cast("string")).as(TICKET_ID),
                        lit(SOURCE_ZENDESK).as(SOURCE),
                        col("id").cast("string").as(SOURCE_TICKET_ID),
                        col("_c_customer_id").as(CUSTOMER_ID),
                        when(col("assignee_id").isNull(), lit(null))
                                .otherwise(coalesce(col("_a_email"),
                                        concat(lit(SOURCE_ZENDESK + ":"), col("assignee_id").cast("string")))).as(AGENT_ID),
                        Channels.normalise(col("via.channel"), settings.channels()).as(CHANNEL),
                        col("via.channel").as(SOURCE_CHANNEL),
                        col("status").as(STATUS),
                        created.as(CREATED_AT),
                        Timestamps.parse(col("updated_at")).as(UPDATED_AT),
                        when(solved, solvedAt).as(SOLVED_AT),
                        col("_m_frs").as(FIRST_RESPONSE_SECONDS),
                        when(solved, coalesce(col("_m_res"), Conform.hoursBetween(created, col("_d_solved_at"))))
                                .as(RESOLUTION_HOURS),
                        col("_m_replies").as(AGENT_REPLIES),
                        coalesce(col("_m_reopens"), col("_d_reopens")).as(REOPENS),
                        when(lower(col("satisfaction_rating.score")).equalTo("good"), lit(1))
                                .when(lower(col("satisfaction_rating.score")).equalTo("bad"), lit(0))
                                .as(CSAT),
                        coalesce(col("tags"), Conform.emptyStrings()).as(TAGS),
                        campaign(col("tags"), settings.campaigns()).as(CAMPAIGN),
                        lit(null).cast("double").as(HANDLE_SECONDS));
    }

    /**
     * What a Zendesk ticket's own versions in bronze tell without its metrics record: the incremental export repeats
     * a ticket each time it changes, so a reopen shows as a solved version followed by a not-solved one. Per ticket: {@code _d_reopens}, the number of solved → not-solved steps between
     * consecutive versions; {@code _d_solved_at}, the {@code updated_at} of the first version of the latest solved
     * stretch (when it was last solved, as precisely as the export saw it).
     */
    static Dataset<Row> zendeskHistory(Dataset<Row> tickets) {
        Column ts = Timestamps.parse(col("updated_at"));
        WindowSpec w = Window.partitionBy(col("id")).orderBy(Latest.order(tickets, ts, false));
        Column isSolved = coalesce(lower(col("status")).isin((Object[]) ZENDESK_SOLVED), lit(false));
        return tickets
                .select(col("id"), ts.as("_ts"), isSolved.as("_solved"),
                        lag(isSolved, 1).over(w).as("_prev_solved"))
                .groupBy(col("id").as("_d_id"))
                .agg(sum(when(col("_prev_solved").and(col("_solved").equalTo(false)), 1).otherwise(0))
                                .cast("int").as("_d_reopens"),
                        max(when(col("_solved").and(coalesce(col("_prev_solved"), lit(false)).equalTo(false)),
                                col("_ts"))).as("_d_solved_at"));
    }

    /**
     * Gorgias tickets (every version) + satisfaction surveys. SPEC §5: first response = seconds from
     * {@code created_datetime} to the first message sent by an agent; resolution = hours from
     * {@code created_datetime} to {@code closed_datetime} once closed; agent replies = messages from an agent;
     * reopens = closes (any version's {@code closed_datetime}) followed by a customer message; csat = survey score
     * 4 or 5 → 1, 1 to 3 → 0. Internal notes (channel "internal-note" or not public) are not replies. Spam and
     * trashed tickets are not support interactions and are left out.
     */
    public static Dataset<Row> fromGorgias(Dataset<Row> tickets, Dataset<Row> surveys, Dataset<Row> identities,
                                           Settings settings) {
        Column version = coalesce(Timestamps.parse(col("updated_datetime")),
                Timestamps.parse(col("last_message_datetime")), Timestamps.parse(col("closed_datetime")),
                Timestamps.parse(col("created_datetime")));
        Dataset<Row> latest = Latest.by(tickets, col("id"), version)
                .filter(coalesce(col("spam"), lit(false)).equalTo(false).and(col("trashed_datetime").isNull()));
        // Every close a ticket ever showed: the latest version only knows the last one.
        Dataset<Row> closes = tickets.groupBy(col("id").as("_h_id"))
                .agg(collect_set(Timestamps.parse(col("closed_datetime"))).as("_h_closes"));
        Dataset<Row> latestSurvey = Latest.by(surveys, col("ticket_id"),
                        coalesce(Timestamps.parse(col("scored_datetime")), Timestamps.parse(col("sent_datetime")),
                                Timestamps.parse(col("created_datetime"))))
                .select(col("ticket_id").as("_s_ticket_id"), col("score").as("_s_score"));

        // Messages the customer could see, with a send time; a message never sent (failed, draft) has none.
        Column sent = filter(col("messages"), m -> m.getField("sent_datetime").isNotNull()
                .and(coalesce(m.getField("public"), lit(true)))
                .and(coalesce(lower(m.getField("channel")), lit("")).notEqual(GORGIAS_INTERNAL_NOTE)));
        Column fromAgent = filter(sent, m -> coalesce(m.getField("from_agent"), lit(false)));
        Column fromCustomer = filter(sent, m -> m.getField("from_agent").equalTo(false));
        Column created = Timestamps.parse(col("created_datetime"));
        Column closed = Timestamps.parse(col("closed_datetime"));
        Column firstAgentReply = array_min(transform(fromAgent, m -> Timestamps.parse(m.getField("sent_datetime"))));
        Column solved = lower(col("status")).isin((Object[]) GORGIAS_SOLVED).and(closed.isNotNull());
        Column reopens = size(filter(col("_h_closes"),
                c -> exists(fromCustomer, m -> Timestamps.parse(m.getField("sent_datetime")).gt(c))));
        Column tags = coalesce(filter(transform(col("tags"), t -> trim(t.getField("name"))),
                t -> t.isNotNull().and(t.notEqual(""))), Conform.emptyStrings());

        Dataset<Row> withCustomer = CustomerIdentities.resolve(latest, identities, CustomerIdentities.GORGIAS,
                col("customer.id"), Identity.normaliseEmail(col("customer.email"), settings.identity()), "_customer");
        return withCustomer
                .join(closes, col("id").equalTo(col("_h_id")), "left")
                .join(latestSurvey, col("id").equalTo(col("_s_ticket_id")), "left")
                .select(
                        concat(lit(SOURCE_GORGIAS + ":"), col("id").cast("string")).as(TICKET_ID),
                        lit(SOURCE_GORGIAS).as(SOURCE),
                        col("id").cast("string").as(SOURCE_TICKET_ID),
                        col("_customer").as(CUSTOMER_ID),
                        coalesce(Identity.normaliseEmail(col("assignee_user.email"), settings.identity()),
                                when(col("assignee_user.id").isNotNull(),
                                        concat(lit(SOURCE_GORGIAS + ":"), col("assignee_user.id").cast("string"))))
                                .as(AGENT_ID),
                        Channels.normalise(col("channel"), settings.channels()).as(CHANNEL),
                        col("channel").as(SOURCE_CHANNEL),
                        col("status").as(STATUS),
                        created.as(CREATED_AT),
                        version.as(UPDATED_AT),
                        when(solved, closed).as(SOLVED_AT),
                        // An outbound message timestamped a moment before the ticket: a zero wait, not a negative one.
                        when(firstAgentReply.isNotNull(),
                                greatest(lit(0.0), Conform.secondsBetween(created, firstAgentReply)))
                                .as(FIRST_RESPONSE_SECONDS),
                        when(solved, Conform.hoursBetween(created, closed)).as(RESOLUTION_HOURS),
                        when(col("messages").isNotNull(), size(fromAgent)).as(AGENT_REPLIES),
                        reopens.as(REOPENS),
                        when(col("_s_score").geq(4), lit(1)).when(col("_s_score").isNotNull(), lit(0)).as(CSAT),
                        tags.as(TAGS),
                        campaign(tags, settings.campaigns()).as(CAMPAIGN),
                        lit(null).cast("double").as(HANDLE_SECONDS));
    }

    /**
     * Canonical CSV tickets (docs/formats.md): one row per ticket version, the latest {@code updated_at} (else
     * {@code created_at}) wins. Figures the file gives are taken as given; first response falls back to
     * {@code first_response_at − created_at}, resolution to {@code solved_at − created_at}.
     */
    public static Dataset<Row> fromCsv(Dataset<Row> tickets, Dataset<Row> identities, Settings settings) {
        Column created = Timestamps.parse(col("created_at"));
        Column updated = coalesce(Timestamps.parse(col("updated_at")), created);
        Dataset<Row> latest = Latest.by(tickets.withColumn("_ticket_id", trim(col("ticket_id"))),
                col("_ticket_id"), updated);
        Dataset<Row> withCustomer = CustomerIdentities.resolve(latest, identities, CustomerIdentities.CSV_TICKETS,
                Conform.text(col("customer_id")), Identity.normaliseEmail(col("customer_email"), settings.identity()),
                "_customer");
        Column status = Conform.text(col("status"));
        Column solvedAtText = Timestamps.parse(col("solved_at"));
        Column solved = coalesce(lower(status).isin((Object[]) CSV_SOLVED),
                status.isNull().and(solvedAtText.isNotNull()));
        Column csat = lower(trim(col("csat")));
        Column tags = Conform.list(col("tags"));
        return withCustomer.select(
                concat(lit(SOURCE_CSV + ":"), col("_ticket_id")).as(TICKET_ID),
                lit(SOURCE_CSV).as(SOURCE),
                col("_ticket_id").as(SOURCE_TICKET_ID),
                col("_customer").as(CUSTOMER_ID),
                Identity.normaliseEmail(col("agent_email"), settings.identity()).as(AGENT_ID),
                Channels.normalise(col("channel"), settings.channels()).as(CHANNEL),
                Conform.text(col("channel")).as(SOURCE_CHANNEL),
                status.as(STATUS),
                created.as(CREATED_AT),
                updated.as(UPDATED_AT),
                when(solved, solvedAtText).as(SOLVED_AT),
                coalesce(Conform.number(col("first_response_seconds")),
                        Conform.secondsBetween(created, Timestamps.parse(col("first_response_at"))))
                        .as(FIRST_RESPONSE_SECONDS),
                when(solved, coalesce(Conform.number(col("resolution_hours")),
                        Conform.hoursBetween(created, solvedAtText))).as(RESOLUTION_HOURS),
                Conform.wholeNumber(col("agent_replies")).as(AGENT_REPLIES),
                Conform.wholeNumber(col("reopens")).as(REOPENS),
                when(csat.isin("1", "good"), lit(1)).when(csat.isin("0", "bad"), lit(0)).as(CSAT),
                tags.as(TAGS),
                campaign(tags, settings.campaigns()).as(CAMPAIGN),
                Conform.number(col("handle_seconds")).as(HANDLE_SECONDS));
    }

    static Column campaign(Column tags, Settings.CampaignSettings campaigns) {
        return when(array_contains(tags, campaigns.winbackTag()), lit(CAMPAIGN_WINBACK))
                .when(array_contains(tags, campaigns.upsellTag()), lit(CAMPAIGN_UPSELL));
    }
}
