package io.supportroi.bench;

import io.supportroi.analytics.pnl.SupportAttribution;
import io.supportroi.analytics.pnl.SupportKpisMonthly;
import io.supportroi.analytics.pnl.SupportPnlMonthly;
import io.supportroi.config.Settings;
import io.supportroi.model.Agents;
import io.supportroi.model.Claims;
import io.supportroi.model.Costs;
import io.supportroi.model.OrderLines;
import io.supportroi.model.Orders;
import io.supportroi.model.Refunds;
import io.supportroi.model.Tickets;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Locale;

/**
 * DuckDB's support_pnl_monthly and support_kpis_monthly (see {@link DuckDbPnl}), as {@link SupportPnlMonthly} and
 * {@link SupportKpisMonthly} compute them: the same inputs cut at as-of, money in the shop's currency only (orders,
 * refunds), every month from the first to the last activity month, money DECIMAL(18,2) rounded where Spark rounds.
 */
final class DuckDbSupportPnl {
    private DuckDbSupportPnl() {}

    /** Money as Spark's {@code Months.MONEY}. */
    private static final String MONEY = "DECIMAL(18, 2)";

    static String pnlSql(LocalDate asOf, Settings settings) {
        long cutoff = DuckDbGold.asOfMicros(asOf);
        return String.format(Locale.ROOT, """
                WITH attributed AS (%1$s),
                order_cogs AS (%2$s),
                revenue AS (
                  SELECT %3$s AS month_start,
                         sum(CASE WHEN a.attribution = %4$s THEN a.total END) AS upsell,
                         sum(CASE WHEN a.attribution = %5$s THEN a.total END) AS winback,
                         sum(CASE WHEN a.attribution = %6$s THEN a.total END) AS discount_code,
                         sum(c.cogs) AS cogs, count(*) AS support_orders
                  FROM attributed a LEFT JOIN order_cogs c ON c.order_id = a.order_id
                  GROUP BY 1),
                shop_orders AS (
                  SELECT %7$s AS order_id, epoch_us(%8$s) AS ordered_us, %9$s AS total,
                         %10$s IS NULL AND NOT (%11$s) AS shipped_replacement
                  FROM orders WHERE %12$s AND epoch_us(%8$s) <= %13$d),
                replacement_lines AS (
                  SELECT %14$s AS order_id, sum(CAST(%15$s AS %16$s) * %17$s) AS line_value
                  FROM order_lines
                  WHERE %14$s IN (SELECT order_id FROM shop_orders WHERE shipped_replacement)
                  GROUP BY 1),
                replaced AS (
                  SELECT %18$s AS month_start,
                         sum(coalesce(l.line_value, o.total, CAST(0 AS %16$s))) AS replaced
                  FROM shop_orders o LEFT JOIN replacement_lines l ON l.order_id = o.order_id
                  WHERE o.shipped_replacement
                  GROUP BY 1),
                shop_refunds AS (
                  SELECT epoch_us(%19$s) AS refunded_us, %20$s AS amount
                  FROM refunds WHERE %21$s AND epoch_us(%19$s) <= %13$d),
                refunded AS (
                  SELECT %22$s AS month_start, sum(amount) AS refunded FROM shop_refunds GROUP BY 1),
                cut_claims AS (
                  SELECT epoch_us(%23$s) AS recovered_us, %24$s AS amount
                  FROM claims WHERE epoch_us(%23$s) <= %13$d),
                recovered AS (
                  SELECT %25$s AS month_start, sum(amount) AS recovered
                  FROM cut_claims WHERE amount IS NOT NULL GROUP BY 1),
                platform AS (
                  SELECT %26$s AS month_start, sum(%27$s) AS platform
                  FROM costs WHERE %26$s <= DATE '%28$s' GROUP BY 1),
                staff AS (SELECT sum(%29$s) AS staff FROM agents),
                cut_tickets AS (
                  SELECT epoch_us(%30$s) AS created_us FROM tickets WHERE epoch_us(%30$s) <= %13$d),
                activity AS (
                  SELECT %31$s AS month_start FROM cut_tickets
                  UNION ALL SELECT %18$s FROM shop_orders o
                  UNION ALL SELECT %22$s FROM shop_refunds
                  UNION ALL SELECT %25$s FROM cut_claims),
                months AS (
                  SELECT CAST(unnest(generate_series(first_start, last_start, INTERVAL 1 MONTH)) AS DATE)
                             AS month_start
                  FROM (SELECT min(month_start) AS first_start, max(month_start) AS last_start FROM activity)
                  WHERE first_start IS NOT NULL),
                filled AS (
                  SELECT m.month_start, %32$s AS staff_cost, %33$s AS platform_cost, %34$s AS refunded,
                         %35$s AS replaced, %36$s AS upsell_revenue, %37$s AS winback_revenue,
                         %38$s AS discount_code_revenue, %39$s AS claims_recovered, %40$s AS cogs,
                         coalesce(r.support_orders, 0) AS support_orders
                  FROM months m
                  LEFT JOIN revenue r ON r.month_start = m.month_start
                  LEFT JOIN refunded f ON f.month_start = m.month_start
                  LEFT JOIN replaced p ON p.month_start = m.month_start
                  LEFT JOIN recovered c ON c.month_start = m.month_start
                  LEFT JOIN platform k ON k.month_start = m.month_start
                  CROSS JOIN staff s),
                shared AS (
                  SELECT *, CAST(round((refunded + replaced) * %41$s, 2) AS %16$s) AS refund_share_cost,
                         CAST(upsell_revenue + winback_revenue + discount_code_revenue - cogs + claims_recovered
                              AS %16$s) AS gross_profit
                  FROM filled),
                costed AS (
                  SELECT *, CAST(staff_cost + platform_cost + refund_share_cost AS %16$s) AS total_cost FROM shared)
                SELECT strftime(month_start, '%%Y-%%m') AS %42$s, month_start AS %43$s, staff_cost AS %44$s,
                       platform_cost AS %45$s, refunded AS %46$s, replaced AS %47$s,
                       refund_share_cost AS %48$s, upsell_revenue AS %49$s, winback_revenue AS %50$s,
                       discount_code_revenue AS %51$s, claims_recovered AS %52$s, cogs AS %53$s,
                       gross_profit AS %54$s, total_cost AS %55$s,
                       CAST(gross_profit - total_cost AS %16$s) AS %56$s,
                       CAST(gross_profit - total_cost AS %16$s) > 0 AS %57$s,
                       support_orders AS %58$s
                FROM costed ORDER BY month_start""",
                DuckDbPnl.attributedOrdersSql(settings, cutoff), DuckDbPnl.orderCogsSql(),
                DuckDbPnl.monthStart("a.ordered_us"), DuckDbGold.quote(SupportAttribution.UPSELL),
                DuckDbGold.quote(SupportAttribution.WINBACK), DuckDbGold.quote(SupportAttribution.DISCOUNT_CODE),
                Orders.ORDER_ID, Orders.ORDERED_AT, Orders.TOTAL, Orders.CANCELLED_AT,
                DuckDbPnl.notReplacement(settings), DuckDbPnl.shopCurrency(Orders.CURRENCY, settings), cutoff,
                OrderLines.ORDER_ID, OrderLines.QUANTITY, MONEY, OrderLines.UNIT_PRICE,
                DuckDbPnl.monthStart("o.ordered_us"),
                Refunds.REFUNDED_AT, Refunds.AMOUNT, DuckDbPnl.shopCurrency(Refunds.CURRENCY, settings),
                DuckDbPnl.monthStart("refunded_us"),
                Claims.RECOVERED_AT, Claims.AMOUNT_RECOVERED, DuckDbPnl.monthStart("recovered_us"),
                Costs.MONTH_START, Costs.AMOUNT, asOf, Agents.MONTHLY_COST,
                Tickets.CREATED_AT, DuckDbPnl.monthStart("created_us"),
                orZero("s.staff"), orZero("k.platform"), orZero("f.refunded"), orZero("p.replaced"),
                orZero("r.upsell"), orZero("r.winback"), orZero("r.discount_code"), orZero("c.recovered"),
                orZero("r.cogs"), share(settings.pnl().refundShare()),
                SupportPnlMonthly.MONTH, SupportPnlMonthly.MONTH_START, SupportPnlMonthly.STAFF_COST,
                SupportPnlMonthly.PLATFORM_COST, SupportPnlMonthly.REFUNDED, SupportPnlMonthly.REPLACED,
                SupportPnlMonthly.REFUND_SHARE_COST, SupportPnlMonthly.UPSELL_REVENUE,
                SupportPnlMonthly.WINBACK_REVENUE, SupportPnlMonthly.DISCOUNT_CODE_REVENUE,
                SupportPnlMonthly.CLAIMS_RECOVERED, SupportPnlMonthly.COGS, SupportPnlMonthly.SUPPORT_GROSS_PROFIT,
                SupportPnlMonthly.TOTAL_COST, SupportPnlMonthly.NET_PROFIT, SupportPnlMonthly.IS_PROFIT_CENTER,
                SupportPnlMonthly.SUPPORT_ORDERS);
    }

    /** The temporary table that holds {@link #pnlSql}'s result while the KPIs read it. */
    static final String PNL = "support_pnl";

    /** The KPIs, from the tickets view and the P&L in the temporary table {@link #PNL}. */
    static String kpisSql(LocalDate asOf, Settings settings) {
        long cutoff = DuckDbGold.asOfMicros(asOf);
        Settings.KpiSettings kpi = settings.kpi();
        return String.format(Locale.ROOT, """
                WITH cut AS (
                  SELECT epoch_us(%2$s) AS created_us, %3$s AS first_response_seconds,
                         %4$s AS resolution_hours, %5$s AS handle_seconds, %6$s AS replies, %7$s AS reopens,
                         %8$s AS csat,
                         (%9$s IS NOT NULL OR %4$s IS NOT NULL) AS solved,
                         coalesce(%4$s, CAST(epoch_us(%9$s) - epoch_us(%2$s) AS DOUBLE) / 3.6e9) AS hours_to_solve,
                         epoch_us(%2$s) + %10$d <= %11$d AS window_ended
                  FROM tickets WHERE epoch_us(%2$s) <= %11$d),
                per_month AS (
                  SELECT %12$s AS month_start, count(*) AS tickets,
                         quantile_cont(CAST(first_response_seconds AS DOUBLE), 0.5) AS median_first_response,
                         quantile_cont(CAST(first_response_seconds AS DOUBLE), 0.9) AS p90_first_response,
                         quantile_cont(CAST(resolution_hours AS DOUBLE), 0.5) AS median_resolution,
                         quantile_cont(CAST(handle_seconds AS DOUBLE), 0.5) AS median_handle,
                         count_if(solved) AS solved_tickets,
                         %13$s AS one_touch_rate, %14$s AS reopen_rate,
                         count_if(window_ended) AS resolution_window_ended,
                         %15$s AS resolution_rate,
                         count_if(csat IS NOT NULL) AS rated_tickets,
                         avg(CAST(csat AS DOUBLE)) AS csat
                  FROM cut GROUP BY 1),
                operating AS (
                  SELECT %16$s AS month_start, %17$s + %18$s AS operating_cost FROM %1$s),
                joined AS (
                  SELECT coalesce(c.month_start, m.month_start) AS month_start, c.operating_cost,
                         coalesce(m.tickets, 0) AS tickets, m.median_first_response, m.p90_first_response,
                         m.median_resolution, m.median_handle, coalesce(m.solved_tickets, 0) AS solved_tickets,
                         m.one_touch_rate, m.reopen_rate,
                         coalesce(m.resolution_window_ended, 0) AS resolution_window_ended, m.resolution_rate,
                         coalesce(m.rated_tickets, 0) AS rated_tickets, m.csat
                  FROM operating c FULL OUTER JOIN per_month m ON m.month_start = c.month_start),
                judged AS (
                  SELECT *, median_first_response <= %19$s AS first_response_met, csat >= %20$s AS csat_met,
                         resolution_rate >= %21$s AS resolution_rate_met
                  FROM joined),
                listed AS (
                  SELECT *, list_filter([CASE WHEN first_response_met THEN %22$s END,
                                         CASE WHEN csat_met THEN %23$s END,
                                         CASE WHEN resolution_rate_met THEN %24$s END], t -> t IS NOT NULL)
                                AS targets_met
                  FROM judged)
                SELECT strftime(month_start, '%%Y-%%m') AS %25$s, month_start AS %26$s, tickets AS %27$s,
                       CASE WHEN tickets > 0 THEN %28$s END AS %29$s,
                       median_first_response AS %30$s, p90_first_response AS %31$s,
                       median_resolution AS %32$s, median_handle AS %33$s, solved_tickets AS %34$s,
                       one_touch_rate AS %35$s, reopen_rate AS %36$s, resolution_window_ended AS %37$s,
                       resolution_rate AS %38$s, rated_tickets AS %39$s, csat AS %40$s, targets_met AS %41$s,
                       first_response_met AS %42$s, csat_met AS %43$s, resolution_rate_met AS %44$s,
                       len(targets_met) = %45$d AS %46$s
                FROM listed ORDER BY month_start""",
                PNL, Tickets.CREATED_AT, Tickets.FIRST_RESPONSE_SECONDS,
                Tickets.RESOLUTION_HOURS, Tickets.HANDLE_SECONDS, Tickets.AGENT_REPLIES, Tickets.REOPENS,
                Tickets.CSAT, Tickets.SOLVED_AT, DuckDbGold.micros(kpi.resolutionWindowDays()), cutoff,
                DuckDbPnl.monthStart("created_us"),
                ratio("solved AND replies = 1", "solved AND replies IS NOT NULL"),
                ratio("solved AND reopens >= 1", "solved AND reopens IS NOT NULL"),
                ratio("window_ended AND solved AND hours_to_solve <= "
                        + dbl(kpi.resolutionWindowDays() * 24.0), "window_ended"),
                SupportPnlMonthly.MONTH_START, SupportPnlMonthly.STAFF_COST, SupportPnlMonthly.PLATFORM_COST,
                dbl(kpi.maxMedianFirstResponseSeconds()), dbl(kpi.minCsat()), dbl(kpi.minResolutionRate()),
                DuckDbGold.quote(SupportKpisMonthly.TARGET_FIRST_RESPONSE),
                DuckDbGold.quote(SupportKpisMonthly.TARGET_CSAT),
                DuckDbGold.quote(SupportKpisMonthly.TARGET_RESOLUTION_RATE),
                SupportKpisMonthly.MONTH, SupportKpisMonthly.MONTH_START, SupportKpisMonthly.TICKETS,
                roundedQuotient("operating_cost", "tickets"), SupportKpisMonthly.COST_PER_TICKET,
                SupportKpisMonthly.MEDIAN_FIRST_RESPONSE_SECONDS, SupportKpisMonthly.P90_FIRST_RESPONSE_SECONDS,
                SupportKpisMonthly.MEDIAN_RESOLUTION_HOURS, SupportKpisMonthly.MEDIAN_HANDLE_SECONDS,
                SupportKpisMonthly.SOLVED_TICKETS, SupportKpisMonthly.ONE_TOUCH_RATE, SupportKpisMonthly.REOPEN_RATE,
                SupportKpisMonthly.RESOLUTION_WINDOW_ENDED, SupportKpisMonthly.RESOLUTION_RATE,
                SupportKpisMonthly.RATED_TICKETS, SupportKpisMonthly.CSAT, SupportKpisMonthly.TARGETS_MET,
                SupportKpisMonthly.FIRST_RESPONSE_TARGET_MET, SupportKpisMonthly.CSAT_TARGET_MET,
                SupportKpisMonthly.RESOLUTION_RATE_TARGET_MET, SupportKpisMonthly.TARGET_NAMES.size(),
                SupportKpisMonthly.ALL_TARGETS_MET);
    }

    /** A money sum that is 0 where a month had nothing, as {@code Months.orZero}. */
    private static String orZero(String column) {
        return "CAST(coalesce(" + column + ", CAST(0 AS " + MONEY + ")) AS " + MONEY + ")";
    }

    /** The refund share as the exact decimal literal Spark multiplies by ({@code BigDecimal.valueOf}). */
    private static String share(double share) {
        BigDecimal d = BigDecimal.valueOf(share);
        int scale = Math.max(d.scale(), 0);
        int precision = Math.max(Math.max(d.precision(), scale), 1);
        return "CAST(" + DuckDbGold.quote(d.setScale(scale).toPlainString()) + " AS DECIMAL(" + precision + ", "
                + scale + "))";
    }

    /** A setting compared with a double column, as the same double Spark compares it with. */
    private static String dbl(double v) {
        return "CAST(" + DuckDbGold.quote(Double.toString(v)) + " AS DOUBLE)";
    }

    /** Share of the rows matching {@code denominator} that also match {@code numerator}; null when none do. */
    private static String ratio(String numerator, String denominator) {
        return "CASE WHEN count_if(" + denominator + ") > 0 THEN CAST(count_if(" + numerator
                + ") AS DOUBLE) / CAST(count_if(" + denominator + ") AS DOUBLE) END";
    }

    /**
     * Money divided by a positive count and rounded to the cent half up, as Spark's {@code round(money / n, 2)}:
     * a decimal(19,2) over a count keeps 21 decimals, so (unlike {@link DuckDbGold#sparkRoundedQuotient}, whose
     * sum keeps 6) the one rounding is exact. Integer arithmetic on the cents, away from zero on ties.
     */
    private static String roundedQuotient(String money, String count) {
        String cents = "CAST(" + money + " * 100 AS HUGEINT)";
        String magnitude = "((2 * abs(" + cents + ") + " + count + ") // (2 * " + count + "))";
        return "CAST(CAST(CASE WHEN " + cents + " < 0 THEN -" + magnitude + " ELSE " + magnitude
                + " END AS DECIMAL(18, 0)) * CAST(0.01 AS DECIMAL(3, 2)) AS " + MONEY + ")";
    }
}
