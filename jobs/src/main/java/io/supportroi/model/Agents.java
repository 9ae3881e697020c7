package io.supportroi.model;

import io.supportroi.config.Settings;
import io.supportroi.ingest.Bronze;
import io.supportroi.ingest.LandingSource;
import io.supportroi.ingest.Timestamps;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

/**
 * {@code silver.agents}: the support team from {@code reference/agents.csv} (its latest version), plus every agent
 * the helpdesks show who is missing from it ({@code in_reference} false: no cost, team or discount code known;
 * someone should add them to the file). {@code agent_id} is the normalised email, the same id tickets carry.
 */
public final class Agents {
    private Agents() {}

    public static final TableRef TABLE = TableRef.silver("agents");

    public static final String AGENT_ID = "agent_id";
    public static final String EMAIL = "email";
    public static final String NAME = "name";
    public static final String TEAM = "team";
    public static final String MONTHLY_COST = "monthly_cost";
    public static final String DISCOUNT_CODE = "discount_code";
    public static final String IN_REFERENCE = "in_reference";

    public static final List<String> COLUMNS = List.of(AGENT_ID, EMAIL, NAME, TEAM, MONTHLY_COST, DISCOUNT_CODE,
            IN_REFERENCE);

    /** @param tickets silver tickets: any agent id they carry is an agent */
    public static Dataset<Row> apply(BronzeTables b, Dataset<Row> tickets, Settings settings) {
        return apply(b.get(LandingSource.REFERENCE_AGENTS), seen(b, tickets, settings), settings);
    }

    /**
     * @param referenceAgents bronze reference_agents (every version; the latest file wins, its last row per agent)
     * @param seen            {@link #seen}: agent id and name as the helpdesks show them
     */
    public static Dataset<Row> apply(Dataset<Row> referenceAgents, Dataset<Row> seen, Settings settings) {
        Column id = Identity.normaliseEmail(col("agent_email"), settings.identity());
        Dataset<Row> ref = Latest.by(Latest.fileVersion(referenceAgents).withColumn("_id", id)
                                .filter(col("_id").isNotNull()), col("_id"), lit(0))
                .select(col("_id").as("_r_id"), Conform.text(col("agent_name")).as("_r_name"),
                        Conform.text(col("team")).as(TEAM), Conform.money(col("monthly_cost")).as(MONTHLY_COST),
                        upper(Conform.text(col("discount_code"))).as(DISCOUNT_CODE));
        return ref.join(seen, col("_r_id").equalTo(col("_s_id")), "full_outer")
                .select(coalesce(col("_r_id"), col("_s_id")).as(AGENT_ID),
                        when(coalesce(col("_r_id"), col("_s_id")).contains("@"), coalesce(col("_r_id"), col("_s_id")))
                                .as(EMAIL),
                        coalesce(col("_r_name"), col("_s_name")).as(NAME),
                        col(TEAM), col(MONTHLY_COST), col(DISCOUNT_CODE),
                        col("_r_id").isNotNull().as(IN_REFERENCE));
    }

    /**
     * Agents as the helpdesks show them ({@code _s_id}, {@code _s_name}): Zendesk users with role agent or admin,
     * Gorgias assignees, CSV ticket agents, and any other agent id on a silver ticket.
     */
    public static Dataset<Row> seen(BronzeTables b, Dataset<Row> tickets, Settings settings) {
        Settings.IdentitySettings identity = settings.identity();
        Dataset<Row> zendesk = b.get(LandingSource.ZENDESK_USERS).filter(col("role").isin("agent", "admin"))
                .select(Identity.normaliseEmail(col("email"), identity).as("_s_id"), col("name").as("_s_name"),
                        Timestamps.parse(coalesce(col("updated_at"), col("created_at"))).as("_s_at"),
                        col(Bronze.RECORD_INDEX).cast("long").as("_s_pos"));
        Dataset<Row> gorgias = b.get(LandingSource.GORGIAS_TICKETS)
                .select(Identity.normaliseEmail(col("assignee_user.email"), identity).as("_s_id"),
                        col("assignee_user.name").as("_s_name"),
                        Timestamps.parse(coalesce(col("updated_datetime"), col("created_datetime"))).as("_s_at"),
                        col(Bronze.RECORD_INDEX).cast("long").as("_s_pos"));
        Dataset<Row> csv = b.get(LandingSource.CSV_TICKETS)
                .select(Identity.normaliseEmail(col("agent_email"), identity).as("_s_id"),
                        col("agent_name").as("_s_name"),
                        Timestamps.parse(coalesce(col("updated_at"), col("created_at"))).as("_s_at"),
                        col(Bronze.RECORD_INDEX).cast("long").as("_s_pos"));
        Dataset<Row> onTickets = tickets.select(col(Tickets.AGENT_ID).as("_s_id"), lit(null).cast("string").as("_s_name"),
                lit(null).cast("timestamp").as("_s_at"), lit(null).cast("long").as("_s_pos"));
        Column name = Conform.text(col("_s_name"));
        return zendesk.unionByName(gorgias).unionByName(csv).unionByName(onTickets)
                .filter(col("_s_id").isNotNull())
                .groupBy(col("_s_id"))
                .agg(max_by(name, when(name.isNotNull(),
                        org.apache.spark.sql.functions.struct(col("_s_at"), name, col("_s_pos")))).as("_s_name"));
    }
}
