package io.supportroi.bench;

import io.supportroi.analytics.AgentVsChurn;
import io.supportroi.analytics.pnl.PassiveChurnRecoveryMonthly;
import io.supportroi.analytics.pnl.SupportKpisMonthly;
import io.supportroi.analytics.pnl.SupportPnlMonthly;
import io.supportroi.analytics.pnl.UpsellCampaignMonthly;
import io.supportroi.analytics.pnl.SupportAttribution;
import io.supportroi.config.Settings;
import io.supportroi.model.Agents;
import io.supportroi.model.OrderLines;
import io.supportroi.model.Orders;
import io.supportroi.model.Products;
import io.supportroi.model.RenewalAttempts;
import io.supportroi.model.Tickets;

import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * DuckDB's side of the money tables (SPEC §4's support P&L and the tables that explain it), in plain SQL over the
 * silver views {@link DuckDbGold#run} creates. Money stays DECIMAL(18,2) as in Spark, so sums agree to the cent.
 */
final class DuckDbPnl {
    private DuckDbPnl() {}

    static Map<String, List<Map<String, Object>>> tables(Statement s, LocalDate asOf, Settings settings)
            throws SQLException {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        // The KPIs read the P&L, as Spark's read its persisted frame: materialised once (as a CTE DuckDB planned the
        // whole P&L again inside the KPIs' query, 40 times the KPIs' own time at 100,000 customers).
        s.execute("CREATE OR REPLACE TEMP TABLE " + DuckDbSupportPnl.PNL + " AS "
                + DuckDbSupportPnl.pnlSql(asOf, settings));
        out.put(SupportPnlMonthly.TABLE.toString(), DuckDbGold.rows(s, "SELECT * FROM " + DuckDbSupportPnl.PNL));
        out.put(SupportKpisMonthly.TABLE.toString(), DuckDbGold.rows(s, DuckDbSupportPnl.kpisSql(asOf, settings)));
        s.execute("DROP TABLE " + DuckDbSupportPnl.PNL);
        out.put(UpsellCampaignMonthly.TABLE.toString(), DuckDbGold.rows(s, upsellSql(asOf, settings)));
        out.put(PassiveChurnRecoveryMonthly.TABLE.toString(), DuckDbGold.rows(s, recoverySql(asOf, settings)));
        out.put(AgentVsChurn.TABLE.toString(), DuckDbGold.rows(s, DuckDbAgents.agentVsChurnSql(asOf, settings)));
        return out;
    }

    /** A timestamp column as epoch microseconds, and its month's first day (UTC) as a DATE. */
    static String monthStart(String micros) {
        return "CAST(date_trunc('month', make_timestamp(" + micros + ")) AS DATE)";
    }

    /** Orders that are not replacements: none of their tags is one of the configured replacement tags. */
    static String notReplacement(Settings settings) {
        List<String> tags = settings.pnl().replacementOrderTags().stream()
                .map(t -> DuckDbGold.quote(t.trim().toLowerCase(Locale.ROOT))).toList();
        return tags.isEmpty() ? "true"
                : "NOT coalesce(list_bool_or(list_transform(" + Orders.TAGS + ", t -> lower(trim(t)) IN ("
                        + String.join(", ", tags) + "))), false)";
    }

    /** Rows in the shop's currency; a row without a currency is the shop's (as {@code ShopCurrency.only}). */
    static String shopCurrency(String column, Settings settings) {
        return "(" + column + " IS NULL OR upper(" + column + ") = " + DuckDbGold.quote(settings.pnl().currency())
                + ")";
    }

    /**
     * Every outreach of a campaign with its conversion order, as {@code SupportAttribution.conversions}: the
     * customer's first purchase in (sent, sent + window], credited to the latest outreach it converts. Purchases are
     * orders in the shop's currency that are not replacements.
     * Columns: ticket_id, customer_id, agent_id, outreach_us, order_id, ordered_us, total, credited.
     *
     * @param cutoff tickets and orders after it (epoch microseconds) are left out; null: none is
     */
    static String conversionsSql(String campaign, Long cutoff, Settings settings) {
        long window = DuckDbGold.micros(settings.campaigns().conversionWindowDays());
        return String.format(Locale.ROOT, """
                WITH outreach AS (
                  SELECT %1$s AS ticket_id, %2$s AS customer_id, %3$s AS agent_id, epoch_us(%4$s) AS outreach_us
                  FROM tickets
                  WHERE %5$s = %6$s AND %2$s IS NOT NULL AND %7$s),
                purchases AS (%8$s),
                firsts AS (
                  SELECT o.*, p.order_id, p.ordered_us, p.total
                  FROM outreach o LEFT JOIN purchases p ON p.customer_id = o.customer_id
                   AND p.ordered_us > o.outreach_us AND p.ordered_us <= o.outreach_us + %9$d
                  QUALIFY row_number() OVER (PARTITION BY o.ticket_id ORDER BY p.ordered_us, p.order_id) = 1)
                SELECT *, order_id IS NOT NULL AND row_number() OVER (
                           PARTITION BY coalesce(order_id, 'unconverted:' || ticket_id)
                           ORDER BY outreach_us DESC, ticket_id DESC) = 1 AS credited
                FROM firsts""",
                Tickets.TICKET_ID, Tickets.CUSTOMER_ID, Tickets.AGENT_ID, Tickets.CREATED_AT, Tickets.CAMPAIGN,
                DuckDbGold.quote(campaign), upTo(Tickets.CREATED_AT, cutoff), purchasesSql(cutoff, settings), window);
    }

    /**
     * Orders that count as purchases ({@code SupportAttribution.purchases} of the shop's orders without
     * replacements). Columns: order_id, customer_id, ordered_us, total, discount_codes.
     */
    static String purchasesSql(Long cutoff, Settings settings) {
        return String.format(Locale.ROOT, """
                SELECT %1$s AS order_id, %2$s AS customer_id, epoch_us(%3$s) AS ordered_us, %4$s AS total,
                       %5$s AS discount_codes
                FROM orders
                WHERE %6$s AND %7$s AND %8$s AND %9$s IS NULL AND %2$s IS NOT NULL""",
                Orders.ORDER_ID, Orders.CUSTOMER_ID, Orders.ORDERED_AT, Orders.TOTAL, Orders.DISCOUNT_CODES,
                shopCurrency(Orders.CURRENCY, settings), notReplacement(settings), upTo(Orders.ORDERED_AT, cutoff),
                Orders.CANCELLED_AT);
    }

    /**
     * Orders support drove, each once, as {@code SupportAttribution.orders}: an agent's discount code first, then
     * the welcome-upsell outreach, then the win-back outreach it converted.
     * Columns: order_id, customer_id, ordered_us, total, attribution, agent_id, ticket_id.
     *
     * @param cutoff as in {@link #conversionsSql}
     */
    static String attributedOrdersSql(Settings settings, Long cutoff) {
        return String.format(Locale.ROOT, """
                WITH purchases AS (%1$s),
                codes AS (
                  SELECT %2$s AS agent_id, upper(%3$s) AS code FROM agents WHERE %3$s IS NOT NULL),
                candidates AS (
                  SELECT p.order_id, %4$s AS attribution, c.agent_id, CAST(NULL AS VARCHAR) AS ticket_id,
                         0 AS precedence, CAST(NULL AS BIGINT) AS touch_us
                  FROM purchases p JOIN codes c ON list_contains(p.discount_codes, c.code)
                  UNION ALL
                  SELECT order_id, %5$s, agent_id, ticket_id, 1, outreach_us FROM (%6$s) WHERE credited
                  UNION ALL
                  SELECT order_id, %7$s, agent_id, ticket_id, 2, outreach_us FROM (%8$s) WHERE credited),
                once AS (
                  SELECT * FROM candidates
                  QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY precedence, touch_us DESC NULLS LAST,
                                             agent_id ASC NULLS LAST, ticket_id ASC NULLS FIRST) = 1)
                SELECT p.order_id, p.customer_id, p.ordered_us, p.total, o.attribution, o.agent_id, o.ticket_id
                FROM purchases p JOIN once o USING (order_id)""",
                purchasesSql(cutoff, settings), Agents.AGENT_ID, Agents.DISCOUNT_CODE,
                DuckDbGold.quote(SupportAttribution.DISCOUNT_CODE), DuckDbGold.quote(SupportAttribution.UPSELL),
                conversionsSql(Tickets.CAMPAIGN_UPSELL, cutoff, settings),
                DuckDbGold.quote(SupportAttribution.WINBACK), conversionsSql(Tickets.CAMPAIGN_WINBACK, cutoff, settings));
    }

    /** A time column at or before the cutoff, or true when there is none. */
    private static String upTo(String column, Long cutoff) {
        return cutoff == null ? "true" : "epoch_us(" + column + ") <= " + cutoff;
    }

    /** Cost of goods per order over its lines; a SKU without a product costs 0. Columns: order_id, cogs. */
    static String orderCogsSql() {
        return String.format(Locale.ROOT, """
                SELECT l.%1$s AS order_id,
                       sum(CAST(l.%2$s AS DECIMAL(18, 2)) * coalesce(p.%3$s, CAST(0 AS DECIMAL(18, 2)))) AS cogs
                FROM order_lines l LEFT JOIN products p ON l.%4$s = p.%5$s
                GROUP BY l.%1$s""",
                OrderLines.ORDER_ID, OrderLines.QUANTITY, Products.UNIT_COST, OrderLines.SKU, Products.SKU);
    }

    static String upsellSql(LocalDate asOf, Settings settings) {
        long cutoff = DuckDbGold.asOfMicros(asOf);
        long window = DuckDbGold.micros(settings.campaigns().conversionWindowDays());
        double z = settings.analytics().wilsonZ();
        return String.format(Locale.ROOT, """
                WITH conversions AS (%1$s),
                cogs AS (%2$s),
                judged AS (
                  SELECT c.*, c.outreach_us + %3$d <= %4$d AS judged, g.cogs
                  FROM conversions c LEFT JOIN cogs g ON g.order_id = c.order_id),
                monthly AS (
                  SELECT %5$s AS month_start,
                         sum(CASE WHEN judged THEN 1 ELSE 0 END) AS contacted,
                         sum(CASE WHEN judged AND order_id IS NOT NULL THEN 1 ELSE 0 END) AS converted,
                         sum(CASE WHEN judged AND credited THEN total END) AS revenue,
                         sum(CASE WHEN judged AND credited THEN cogs END) AS cogs,
                         sum(CASE WHEN judged THEN 0 ELSE 1 END) AS pending
                  FROM judged GROUP BY 1)
                SELECT strftime(month_start, '%%Y-%%m') AS %6$s, month_start AS %7$s, contacted AS %8$s,
                       converted AS %9$s,
                       CASE WHEN contacted > 0 THEN CAST(converted AS DOUBLE) / CAST(contacted AS DOUBLE) END AS %10$s,
                       %11$s AS %12$s, %13$s AS %14$s,
                       CAST(coalesce(revenue, 0) AS DECIMAL(18, 2)) AS %15$s,
                       CAST(coalesce(cogs, 0) AS DECIMAL(18, 2)) AS %16$s,
                       CAST(CAST(coalesce(revenue, 0) AS DECIMAL(18, 2)) - CAST(coalesce(cogs, 0) AS DECIMAL(18, 2))
                            AS DECIMAL(18, 2)) AS %17$s,
                       pending AS %18$s
                FROM monthly ORDER BY month_start""",
                conversionsSql(Tickets.CAMPAIGN_UPSELL, cutoff, settings), orderCogsSql(), window, cutoff,
                monthStart("outreach_us"), UpsellCampaignMonthly.MONTH, UpsellCampaignMonthly.MONTH_START,
                UpsellCampaignMonthly.CONTACTED, UpsellCampaignMonthly.CONVERTED,
                UpsellCampaignMonthly.CONVERSION_RATE, DuckDbGold.wilson("converted", "contacted", z, -1),
                UpsellCampaignMonthly.CI_LOW, DuckDbGold.wilson("converted", "contacted", z, +1),
                UpsellCampaignMonthly.CI_HIGH, UpsellCampaignMonthly.REVENUE, UpsellCampaignMonthly.COGS,
                UpsellCampaignMonthly.GROSS_PROFIT, UpsellCampaignMonthly.PENDING);
    }

    static String recoverySql(LocalDate asOf, Settings settings) {
        long cutoff = DuckDbGold.asOfMicros(asOf);
        long dunning = DuckDbGold.micros(settings.campaigns().dunningWindowDays());
        long window = DuckDbGold.micros(settings.campaigns().conversionWindowDays());
        double z = settings.analytics().wilsonZ();
        return String.format(Locale.ROOT, """
                WITH invoices AS (
                  SELECT %1$s AS invoice_id, max(%2$s) AS customer_id, min(epoch_us(%3$s)) AS failed_us,
                         min(CASE WHEN %4$s = %5$s THEN epoch_us(%6$s) END) AS paid_us,
                         max(CASE WHEN %4$s = %5$s THEN %7$s END) AS paid_amount,
                         min(epoch_us(%3$s)) + %8$d AS dunning_ends_us
                  FROM renewal_attempts
                  WHERE %3$s IS NOT NULL AND epoch_us(%3$s) <= %9$d AND epoch_us(%6$s) <= %9$d AND %10$s
                  GROUP BY 1),
                winbacks AS (
                  SELECT %11$s AS customer_id, epoch_us(%12$s) AS w_us FROM tickets
                  WHERE %13$s = %14$s AND %11$s IS NOT NULL AND epoch_us(%12$s) <= %9$d),
                contact AS (
                  SELECT i.invoice_id,
                         bool_or(CASE WHEN i.paid_us IS NOT NULL AND w.w_us < i.paid_us
                                       AND i.paid_us <= w.w_us + %15$d THEN true END) AS won_back,
                         max(w.w_us) AS last_winback_us
                  FROM invoices i JOIN winbacks w ON w.customer_id = i.customer_id AND w.w_us >= i.failed_us
                  GROUP BY 1),
                flagged AS (
                  SELECT i.*, c.won_back, c.last_winback_us,
                         i.paid_us IS NOT NULL AND i.paid_us <= i.dunning_ends_us AS paid_in_dunning
                  FROM invoices i LEFT JOIN contact c USING (invoice_id)),
                handed AS (
                  SELECT *, NOT paid_in_dunning AND dunning_ends_us <= %9$d AS handed FROM flagged),
                by_support AS (
                  SELECT *, coalesce(handed AND paid_us > dunning_ends_us AND won_back, false) AS by_support
                  FROM handed),
                awaiting AS (
                  SELECT *, coalesce(handed AND NOT by_support AND paid_us IS NULL
                                     AND (dunning_ends_us + %15$d > %9$d
                                          OR (last_winback_us IS NOT NULL AND last_winback_us + %15$d > %9$d)),
                                     false) AS awaiting
                  FROM by_support),
                monthly AS (
                  SELECT %16$s AS month_start, count(*) AS failed_renewals,
                         sum(CASE WHEN paid_in_dunning THEN 1 ELSE 0 END) AS recovered_by_dunning,
                         sum(CASE WHEN NOT paid_in_dunning AND NOT handed THEN 1 ELSE 0 END) AS pending_dunning,
                         sum(CASE WHEN handed THEN 1 ELSE 0 END) AS handed_to_support,
                         sum(CASE WHEN by_support THEN 1 ELSE 0 END) AS recovered_by_support,
                         sum(CASE WHEN awaiting THEN 1 ELSE 0 END) AS awaiting_support,
                         sum(CASE WHEN handed AND NOT by_support AND NOT awaiting THEN 1 ELSE 0 END) AS lost,
                         sum(CASE WHEN handed AND NOT by_support AND NOT awaiting AND paid_us IS NOT NULL
                                  THEN 1 ELSE 0 END) AS paid_without_support,
                         sum(CASE WHEN by_support THEN paid_amount END) AS recovered_revenue
                  FROM awaiting GROUP BY 1)
                SELECT strftime(month_start, '%%Y-%%m') AS %17$s, month_start AS %18$s,
                       failed_renewals AS %19$s, recovered_by_dunning AS %20$s, pending_dunning AS %21$s,
                       handed_to_support AS %22$s, recovered_by_support AS %23$s, awaiting_support AS %24$s,
                       lost AS %25$s, paid_without_support AS %26$s,
                       CASE WHEN failed_renewals - pending_dunning > 0 THEN CAST(recovered_by_dunning AS DOUBLE)
                            / CAST(failed_renewals - pending_dunning AS DOUBLE) END AS %27$s,
                       CASE WHEN handed_to_support - awaiting_support > 0 THEN CAST(recovered_by_support AS DOUBLE)
                            / CAST(handed_to_support - awaiting_support AS DOUBLE) END AS %28$s,
                       %29$s AS %30$s, %31$s AS %32$s,
                       CAST(coalesce(recovered_revenue, 0) AS DECIMAL(18, 2)) AS %33$s
                FROM monthly ORDER BY month_start""",
                RenewalAttempts.INVOICE_ID, RenewalAttempts.CUSTOMER_ID, RenewalAttempts.FIRST_FAILED_AT,
                RenewalAttempts.OUTCOME, DuckDbGold.quote(RenewalAttempts.PAID), RenewalAttempts.ATTEMPTED_AT,
                RenewalAttempts.AMOUNT, dunning, cutoff, shopCurrency(RenewalAttempts.CURRENCY, settings),
                Tickets.CUSTOMER_ID, Tickets.CREATED_AT, Tickets.CAMPAIGN, DuckDbGold.quote(Tickets.CAMPAIGN_WINBACK),
                window, monthStart("failed_us"), PassiveChurnRecoveryMonthly.MONTH,
                PassiveChurnRecoveryMonthly.MONTH_START, PassiveChurnRecoveryMonthly.FAILED_RENEWALS,
                PassiveChurnRecoveryMonthly.RECOVERED_BY_DUNNING, PassiveChurnRecoveryMonthly.PENDING_DUNNING,
                PassiveChurnRecoveryMonthly.HANDED_TO_SUPPORT, PassiveChurnRecoveryMonthly.RECOVERED_BY_SUPPORT,
                PassiveChurnRecoveryMonthly.AWAITING_SUPPORT, PassiveChurnRecoveryMonthly.LOST,
                PassiveChurnRecoveryMonthly.PAID_WITHOUT_SUPPORT, PassiveChurnRecoveryMonthly.DUNNING_RECOVERY_RATE,
                PassiveChurnRecoveryMonthly.SUPPORT_RECOVERY_RATE,
                DuckDbGold.wilson("recovered_by_support", "(handed_to_support - awaiting_support)", z, -1),
                PassiveChurnRecoveryMonthly.CI_LOW,
                DuckDbGold.wilson("recovered_by_support", "(handed_to_support - awaiting_support)", z, +1),
                PassiveChurnRecoveryMonthly.CI_HIGH, PassiveChurnRecoveryMonthly.RECOVERED_REVENUE);
    }
}
