package io.supportroi.analytics.pnl;

import io.supportroi.analytics.AgentVsChurn;
import io.supportroi.analytics.AsOf;
import io.supportroi.config.Settings;
import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.supportroi.analytics.pnl.SupportPnlMonthly.*;
import static io.supportroi.testing.Frames.money;
import static io.supportroi.testing.Frames.row;
import static io.supportroi.testing.Frames.ts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hand-computed support P&L over January to March 2025 (as-of 2025-03-31, default settings: refund share 0.10,
 * replacement tag "replacement", conversion window 14 days). Every line is worked out in the comments.
 */
@ExtendWith(SparkTest.class)
class SupportPnlMonthlyTest {
    static final String ORDERS_DDL = "order_id STRING, customer_id STRING, ordered_at TIMESTAMP, total DECIMAL(18,2), "
            + "discount_codes ARRAY<STRING>, cancelled_at TIMESTAMP, tags ARRAY<STRING>";
    static final String LINES_DDL = "order_id STRING, sku STRING, quantity INT, unit_price DECIMAL(18,2)";
    static final String PRODUCTS_DDL = "sku STRING, unit_cost DECIMAL(18,2)";
    static final String TICKETS_DDL = "ticket_id STRING, customer_id STRING, agent_id STRING, created_at TIMESTAMP, "
            + "campaign STRING";
    static final String AGENTS_DDL = "agent_id STRING, monthly_cost DECIMAL(18,2), discount_code STRING";

    private static Map<String, Row> months;
    private static List<String> columns;
    private static Map<String, BigDecimal> sales;

    @BeforeAll
    static void compute(SparkSession spark) {
        Dataset<Row> orders = Frames.of(spark, ORDERS_DDL,
                // C1 converts Bob's upsell u1, but the order carries Alice's code: discount-code revenue, once
                row("o1", "C1", ts("2025-01-07T00:00:00Z"), money("60.00"), List.of("ALICE10"), null, List.of()),
                // C2 converts Alice's upsell u2 (the first order in the window) ...
                row("o2", "C2", ts("2025-01-12T00:00:00Z"), money("40.00"), List.of(), null, List.of()),
                // ... and a second order in the same window is not a conversion
                row("o3", "C2", ts("2025-01-15T00:00:00Z"), money("25.00"), List.of(), null, List.of()),
                // C3: a replacement shipped after Bob's win-back w1 is no conversion; o4 is the win-back order
                row("o9", "C3", ts("2025-01-21T00:00:00Z"), money("0.00"), List.of(), null, List.of("Replacement")),
                row("o4", "C3", ts("2025-01-22T00:00:00Z"), money("35.00"), List.of(), null, List.of()),
                // Bob's code, no outreach
                row("o5", "C4", ts("2025-01-04T00:00:00Z"), money("50.00"), List.of("BOB5"), null, List.of()),
                // not support's
                row("o6", "C5", ts("2025-01-25T00:00:00Z"), money("80.00"), List.of(), null, List.of()),
                // cancelled: nobody's revenue
                row("o8", "C5", ts("2025-01-28T00:00:00Z"), money("45.00"), List.of("ALICE10"),
                        ts("2025-01-29T00:00:00Z"), List.of()),
                row("o10", "C6", ts("2025-03-05T00:00:00Z"), money("20.00"), List.of("ALICE10"), null, List.of()),
                // after as-of
                row("o11", "C6", ts("2025-04-02T00:00:00Z"), money("100.00"), List.of("ALICE10"), null, List.of()));
        Dataset<Row> lines = Frames.of(spark, LINES_DDL,
                row("o1", "BOX", 1, money("60.00")),
                row("o2", "SOCKS", 2, money("20.00")),
                row("o3", "BOX", 1, money("25.00")),
                row("o4", "BOX", 1, money("35.00")),
                row("o5", "MUG", 1, money("50.00")),
                // a SKU missing from products.csv costs nothing
                row("o5", "GIFT", 1, money("0.00")),
                row("o6", "BOX", 1, money("80.00")),
                // the replacement's value: 1 x 30.00
                row("o9", "BOX", 1, money("30.00")),
                row("o10", "SOCKS", 1, money("20.00")),
                row("o11", "BOX", 1, money("100.00")));
        Dataset<Row> products = Frames.of(spark, PRODUCTS_DDL,
                row("BOX", money("22.00")), row("SOCKS", money("6.50")), row("MUG", money("12.25")));
        Dataset<Row> tickets = Frames.of(spark, TICKETS_DDL,
                row("u1", "C1", "bob@x", ts("2025-01-05T00:00:00Z"), "upsell"),
                row("u2", "C2", "alice@x", ts("2025-01-10T00:00:00Z"), "upsell"),
                row("w1", "C3", "bob@x", ts("2025-01-20T00:00:00Z"), "winback"),
                row("r1", "C4", "carol@x", ts("2025-01-03T00:00:00Z"), null),
                // no ticket at all in February
                row("m1", "C6", "carol@x", ts("2025-03-02T00:00:00Z"), null));
        Dataset<Row> agents = Frames.of(spark, AGENTS_DDL,
                row("alice@x", money("3000.00"), "ALICE10"),
                row("bob@x", money("2500.00"), "BOB5"),
                // seen in the helpdesk, missing from agents.csv: no cost known
                row("carol@x", null, null));
        Dataset<Row> refunds = Frames.of(spark, "refund_id STRING, refunded_at TIMESTAMP, amount DECIMAL(18,2)",
                row("rf1", ts("2025-01-27T00:00:00Z"), money("15.00")),
                row("rf2", ts("2025-01-31T23:00:00Z"), money("9.99")),
                row("rf3", ts("2025-03-10T00:00:00Z"), money("100.00")),
                row("rf4", ts("2025-04-03T00:00:00Z"), money("50.00")));
        Dataset<Row> claims = Frames.of(spark, "claim_id STRING, filed_at TIMESTAMP, amount_recovered DECIMAL(18,2), "
                        + "recovered_at TIMESTAMP",
                row("cl1", ts("2025-01-10T00:00:00Z"), money("44.00"), ts("2025-01-25T00:00:00Z")),
                // filed in January, recovered in February: February's
                row("cl2", ts("2025-01-20T00:00:00Z"), money("20.00"), ts("2025-02-10T00:00:00Z")),
                row("cl3", ts("2025-01-20T00:00:00Z"), null, null),
                row("cl4", ts("2025-02-20T00:00:00Z"), money("6000.00"), ts("2025-03-20T00:00:00Z")));
        Dataset<Row> costs = Frames.of(spark, "month STRING, month_start DATE, item STRING, amount DECIMAL(18,2)",
                row("2025-01", Date.valueOf("2025-01-01"), "helpdesk", money("400.00")),
                row("2025-01", Date.valueOf("2025-01-01"), "tools", money("100.00")),
                row("2025-02", Date.valueOf("2025-02-01"), "helpdesk", money("400.00")),
                // budgeted after as-of: not this period's
                row("2025-05", Date.valueOf("2025-05-01"), "helpdesk", money("400.00")));
        Settings settings = Settings.defaults();
        Dataset<Row> pnl = SupportPnlMonthly.apply(new Inputs(orders, lines, products, tickets, agents, refunds,
                claims, costs), AsOf.endOfDay(LocalDate.parse("2025-03-31")), settings);
        columns = List.of(pnl.columns());
        months = new HashMap<>();
        for (Row r : pnl.collectAsList()) {
            months.put(r.getAs(MONTH), r);
        }
        Dataset<Row> reference = agents.select("agent_id", "discount_code")
                .withColumn(AgentVsChurn.REF_AGENT_NAME, org.apache.spark.sql.functions.col("agent_id"));
        sales = new HashMap<>();
        for (Row r : AgentVsChurn.salesRevenue(SupportPnlMonthly.withoutReplacements(orders,
                settings.pnl().replacementOrderTags()), tickets, reference, settings.campaigns()).collectAsList()) {
            sales.put(r.getString(0), r.getDecimal(1));
        }
    }

    @Test
    void everyMonthFromTheFirstToTheLastUpToAsOfWithTheSpecColumns() {
        assertThat(months.keySet()).containsExactlyInAnyOrder("2025-01", "2025-02", "2025-03");
        assertThat(columns).containsSubsequence("month", "staff_cost", "platform_cost", "refund_share_cost",
                "upsell_revenue", "winback_revenue", "discount_code_revenue", "claims_recovered", "cogs",
                "support_gross_profit", "total_cost", "net_profit", "is_profit_center");
    }

    @Test
    void january() {
        Row jan = months.get("2025-01");
        // staff: 3000 + 2500 (Carol has no cost on file)
        assertMoney(jan, STAFF_COST, "5500.00");
        // platform: helpdesk 400 + tools 100
        assertMoney(jan, PLATFORM_COST, "500.00");
        // refunds 15.00 + 9.99; replacement o9 1 x 30.00; 10% of 54.99 = 5.499 -> 5.50
        assertMoney(jan, REFUNDED, "24.99");
        assertMoney(jan, REPLACED, "30.00");
        assertMoney(jan, REFUND_SHARE_COST, "5.50");
        // o1 (Alice's code, though also u1's conversion) 60 + o5 (Bob's code) 50
        assertMoney(jan, DISCOUNT_CODE_REVENUE, "110.00");
        // o2, u2's conversion; o3 is the second order in the window
        assertMoney(jan, UPSELL_REVENUE, "40.00");
        // o4, w1's conversion (the replacement o9 before it is no purchase)
        assertMoney(jan, WINBACK_REVENUE, "35.00");
        // o1 BOX 22.00 + o2 2 x SOCKS 6.50 + o4 BOX 22.00 + o5 MUG 12.25 (+ GIFT, no cost on file)
        assertMoney(jan, COGS, "69.25");
        assertMoney(jan, CLAIMS_RECOVERED, "44.00");
        // 110 + 40 + 35 - 69.25 + 44
        assertMoney(jan, SUPPORT_GROSS_PROFIT, "159.75");
        // 5500 + 500 + 5.50
        assertMoney(jan, TOTAL_COST, "6005.50");
        // 159.75 - 6005.50
        assertMoney(jan, NET_PROFIT, "-5845.75");
        assertThat(jan.<Boolean>getAs(IS_PROFIT_CENTER)).isFalse();
        assertThat(jan.<Long>getAs(SUPPORT_ORDERS)).isEqualTo(4L);
    }

    @Test
    void aMonthWithoutTicketsStillPaysTheTeamAndThePlatform() {
        Row feb = months.get("2025-02");
        assertMoney(feb, STAFF_COST, "5500.00");
        assertMoney(feb, PLATFORM_COST, "400.00");
        assertMoney(feb, REFUND_SHARE_COST, "0.00");
        assertMoney(feb, UPSELL_REVENUE, "0.00");
        assertMoney(feb, WINBACK_REVENUE, "0.00");
        assertMoney(feb, DISCOUNT_CODE_REVENUE, "0.00");
        assertMoney(feb, COGS, "0.00");
        // cl2, filed in January, recovered in February
        assertMoney(feb, CLAIMS_RECOVERED, "20.00");
        assertMoney(feb, SUPPORT_GROSS_PROFIT, "20.00");
        assertMoney(feb, TOTAL_COST, "5900.00");
        // 20 - 5900
        assertMoney(feb, NET_PROFIT, "-5880.00");
        assertThat(feb.<Boolean>getAs(IS_PROFIT_CENTER)).isFalse();
    }

    @Test
    void aProfitableMonth() {
        Row mar = months.get("2025-03");
        assertMoney(mar, STAFF_COST, "5500.00");
        // no cost row for March
        assertMoney(mar, PLATFORM_COST, "0.00");
        // 10% of rf3's 100.00 (rf4 is after as-of)
        assertMoney(mar, REFUND_SHARE_COST, "10.00");
        // o10 (o11 is after as-of)
        assertMoney(mar, DISCOUNT_CODE_REVENUE, "20.00");
        assertMoney(mar, COGS, "6.50");
        assertMoney(mar, CLAIMS_RECOVERED, "6000.00");
        // 20 - 6.50 + 6000
        assertMoney(mar, SUPPORT_GROSS_PROFIT, "6013.50");
        assertMoney(mar, TOTAL_COST, "5510.00");
        assertMoney(mar, NET_PROFIT, "503.50");
        assertThat(mar.<Boolean>getAs(IS_PROFIT_CENTER)).isTrue();
    }

    @Test
    void agentsSalesUseTheSameAttribution() {
        // Alice: o1 (her code) 60 + o2 (her upsell) 40 + o10 (her code) 20 + o11 (her code, sales are not cut
        // at as-of) 100; Bob: o5 (his code) 50 + o4 (his win-back) 35; u1's conversion o1 is Alice's by the code
        assertThat(sales.get("alice@x")).isEqualByComparingTo("220.00");
        assertThat(sales.get("bob@x")).isEqualByComparingTo("85.00");
        assertThat(sales).doesNotContainKey("carol@x");
    }

    private static void assertMoney(Row r, String column, String expected) {
        BigDecimal actual = r.getAs(column);
        assertThat(actual).as(column).isEqualTo(new BigDecimal(expected));
    }
}
