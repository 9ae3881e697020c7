package io.supportroi.bench;

import io.supportroi.analytics.AgentVsChurn;
import io.supportroi.config.Settings;
import io.supportroi.model.Agents;
import io.supportroi.model.Subscriptions;
import io.supportroi.model.Tickets;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * DuckDB's {@code gold.agent_vs_churn}, its counts and rates: tickets, customers, churned and churn rate per agent
 * (SPEC §4's churn over the window after a solved ticket), CSAT, sales revenue and the low-volume flag. The expected
 * churn and what derives from it come from a logistic regression, which is not SQL: {@link #COLUMNS} are compared.
 */
final class DuckDbAgents {
    private DuckDbAgents() {}

    /** The columns both engines compute. */
    static final List<String> COLUMNS = List.of(AgentVsChurn.AGENT_ID, AgentVsChurn.AGENT_NAME, AgentVsChurn.TICKETS,
            AgentVsChurn.CUSTOMERS, AgentVsChurn.CHURNED, AgentVsChurn.CHURN_RATE, AgentVsChurn.CSAT,
            AgentVsChurn.SALES_REVENUE, AgentVsChurn.LOW_VOLUME);

    static String agentVsChurnSql(LocalDate asOf, Settings settings) {
        long window = DuckDbGold.micros(settings.analytics().churnWindowDays());
        return String.format(Locale.ROOT, """
                WITH subs AS (
                  SELECT %1$s AS customer_id, epoch_us(%2$s) AS s_us, epoch_us(%3$s) AS e_us
                  FROM subscriptions WHERE %1$s IS NOT NULL),
                eligible AS (
                  SELECT %4$s AS ticket_id, %5$s AS customer_id, %6$s AS agent_id, epoch_us(%7$s) AS created_us,
                         epoch_us(%7$s) + %8$d AS window_end_us
                  FROM tickets
                  WHERE %5$s IS NOT NULL AND %6$s IS NOT NULL AND %9$s IS NOT NULL
                    AND epoch_us(%7$s) + %8$d <= %10$d),
                churn AS (
                  SELECT e.ticket_id, any_value(e.customer_id) AS customer_id, any_value(e.agent_id) AS agent_id,
                         bool_or(s.s_us <= e.created_us AND (s.e_us IS NULL OR s.e_us > e.created_us)) AS active,
                         coalesce(bool_or(s.s_us <= e.created_us AND s.e_us > e.created_us
                                          AND s.e_us <= e.window_end_us), false)
                           AND NOT bool_or(s.s_us <= e.window_end_us
                                           AND (s.e_us IS NULL OR s.e_us > e.window_end_us)) AS churn
                  FROM eligible e JOIN subs s ON s.customer_id = e.customer_id
                  GROUP BY e.ticket_id),
                per_agent AS (
                  SELECT agent_id, count(*) AS tickets, count(DISTINCT customer_id) AS customers,
                         sum(CASE WHEN churn THEN 1 ELSE 0 END) AS churned
                  FROM churn WHERE active GROUP BY agent_id),
                csat AS (
                  SELECT %6$s AS agent_id, avg(CAST(%11$s AS DOUBLE)) AS csat
                  FROM tickets WHERE %6$s IS NOT NULL GROUP BY 1),
                sales AS (
                  SELECT agent_id, CAST(sum(total) AS DECIMAL(18, 2)) AS sales_revenue
                  FROM (%12$s) WHERE agent_id IS NOT NULL GROUP BY agent_id)
                SELECT p.agent_id AS %13$s, a.%14$s AS %15$s, p.tickets AS %16$s, p.customers AS %17$s,
                       p.churned AS %18$s, CAST(p.churned AS DOUBLE) / CAST(p.tickets AS DOUBLE) AS %19$s,
                       c.csat AS %20$s, coalesce(s.sales_revenue, CAST(0 AS DECIMAL(18, 2))) AS %21$s,
                       p.customers < %22$d AS %23$s
                FROM per_agent p LEFT JOIN csat c USING (agent_id)
                LEFT JOIN agents a ON a.%24$s = p.agent_id
                LEFT JOIN sales s USING (agent_id)
                ORDER BY p.agent_id""",
                Subscriptions.CUSTOMER_ID, Subscriptions.STARTED_AT, Subscriptions.ENDED_AT, Tickets.TICKET_ID,
                Tickets.CUSTOMER_ID, Tickets.AGENT_ID, Tickets.CREATED_AT, window, Tickets.RESOLUTION_HOURS,
                DuckDbGold.asOfMicros(asOf), Tickets.CSAT, DuckDbPnl.attributedOrdersSql(settings, null),
                AgentVsChurn.AGENT_ID, Agents.NAME, AgentVsChurn.AGENT_NAME, AgentVsChurn.TICKETS,
                AgentVsChurn.CUSTOMERS, AgentVsChurn.CHURNED, AgentVsChurn.CHURN_RATE, AgentVsChurn.CSAT,
                AgentVsChurn.SALES_REVENUE, settings.analytics().agentMinCustomers(), AgentVsChurn.LOW_VOLUME,
                Agents.AGENT_ID);
    }
}
