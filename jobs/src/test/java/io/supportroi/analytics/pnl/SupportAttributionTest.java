package io.supportroi.analytics.pnl;

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
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;

import static io.supportroi.testing.Frames.money;
import static io.supportroi.testing.Frames.row;
import static io.supportroi.testing.Frames.ts;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attribution is computed once a run over every order and ticket, and each table takes what is up to as-of
 * from it: the tables must be what attributing only the data up to as-of gives. As-of 2025-01-31, conversion window
 * 14 days; outreaches and orders on both sides of as-of.
 */
@ExtendWith(SparkTest.class)
class SupportAttributionTest {
    private static final Timestamp AS_OF = AsOf.endOfDay(LocalDate.parse("2025-01-31"));
    private static Dataset<Row> orders;
    private static Dataset<Row> lines;
    private static Dataset<Row> products;
    private static Dataset<Row> tickets;
    private static Dataset<Row> agents;
    private static Dataset<Row> refunds;
    private static Dataset<Row> claims;
    private static Dataset<Row> costs;

    @BeforeAll
    static void data(SparkSession spark) {
        orders = Frames.of(spark, SupportPnlMonthlyTest.ORDERS_DDL,
                // u1's conversion, its window over by as-of
                row("o1", "C1", ts("2025-01-10T00:00:00Z"), money("60.00"), List.of(), null, List.of()),
                // u2 (sent 01-25) converts after as-of: pending at as-of whatever the later data says
                row("o2", "C2", ts("2025-02-03T00:00:00Z"), money("40.00"), List.of(), null, List.of()),
                // w1's conversion; o4 after as-of is in w1's window too, and w2's (sent after as-of) first order
                row("o3", "C3", ts("2025-01-30T00:00:00Z"), money("35.00"), List.of(), null, List.of()),
                row("o4", "C3", ts("2025-02-02T00:00:00Z"), money("20.00"), List.of(), null, List.of()),
                row("o5", "C4", ts("2025-01-15T00:00:00Z"), money("50.00"), List.of("BOB5"), null, List.of()),
                // u3 (01-28) and u4 (after as-of) both convert with o6: the later touch wins, after as-of
                row("o6", "C5", ts("2025-02-05T00:00:00Z"), money("70.00"), List.of(), null, List.of()));
        lines = Frames.of(spark, SupportPnlMonthlyTest.LINES_DDL,
                row("o1", "BOX", 1, money("60.00")),
                row("o2", "SOCKS", 2, money("20.00")),
                row("o3", "BOX", 1, money("35.00")),
                row("o4", "SOCKS", 1, money("20.00")),
                row("o5", "MUG", 1, money("50.00")),
                row("o6", "BOX", 1, money("70.00")));
        products = Frames.of(spark, SupportPnlMonthlyTest.PRODUCTS_DDL,
                row("BOX", money("22.00")), row("SOCKS", money("6.50")), row("MUG", money("12.25")));
        tickets = Frames.of(spark, SupportPnlMonthlyTest.TICKETS_DDL,
                row("u1", "C1", "bob@x", ts("2025-01-05T00:00:00Z"), "upsell"),
                row("u2", "C2", "alice@x", ts("2025-01-25T00:00:00Z"), "upsell"),
                row("w1", "C3", "bob@x", ts("2025-01-20T00:00:00Z"), "winback"),
                row("w2", "C3", "alice@x", ts("2025-02-01T00:00:00Z"), "winback"),
                row("u3", "C5", "bob@x", ts("2025-01-28T00:00:00Z"), "upsell"),
                row("u4", "C5", "alice@x", ts("2025-02-04T00:00:00Z"), "upsell"),
                row("r1", "C4", "carol@x", ts("2025-01-03T00:00:00Z"), null));
        agents = Frames.of(spark, SupportPnlMonthlyTest.AGENTS_DDL,
                row("alice@x", money("3000.00"), "ALICE10"),
                row("bob@x", money("2500.00"), "BOB5"));
        refunds = Frames.of(spark, "refund_id STRING, refunded_at TIMESTAMP, amount DECIMAL(18,2)",
                row("rf1", ts("2025-01-27T00:00:00Z"), money("15.00")));
        claims = Frames.of(spark, "claim_id STRING, filed_at TIMESTAMP, amount_recovered DECIMAL(18,2), "
                + "recovered_at TIMESTAMP", row("cl1", ts("2025-01-10T00:00:00Z"), money("44.00"),
                ts("2025-01-25T00:00:00Z")));
        costs = Frames.of(spark, "month STRING, month_start DATE, item STRING, amount DECIMAL(18,2)",
                row("2025-01", Date.valueOf("2025-01-01"), "helpdesk", money("400.00")));
    }

    @Test
    void theProfitAndLossIsWhatTheDataUpToAsOfGives() {
        Settings settings = Settings.defaults();
        List<Row> all = SupportPnlMonthly.apply(inputs(orders, tickets), AS_OF, settings).collectAsList();
        List<Row> upToAsOf = SupportPnlMonthly.apply(inputs(cut(orders, "ordered_at"), cut(tickets, "created_at")),
                AS_OF, settings).collectAsList();
        assertThat(all).containsExactlyElementsOf(upToAsOf);
        Row jan = all.get(0);
        assertThat(all).hasSize(1);
        // o1 (u1), o3 (w1), o5 (Bob's code); o2, o4 and o6 come after as-of
        assertThat(jan.<BigDecimal>getAs(SupportPnlMonthly.UPSELL_REVENUE)).isEqualTo(new BigDecimal("60.00"));
        assertThat(jan.<BigDecimal>getAs(SupportPnlMonthly.WINBACK_REVENUE)).isEqualTo(new BigDecimal("35.00"));
        assertThat(jan.<BigDecimal>getAs(SupportPnlMonthly.DISCOUNT_CODE_REVENUE)).isEqualTo(new BigDecimal("50.00"));
        // BOX 22 + BOX 22 + MUG 12.25
        assertThat(jan.<BigDecimal>getAs(SupportPnlMonthly.COGS)).isEqualTo(new BigDecimal("56.25"));
        assertThat(jan.<Long>getAs(SupportPnlMonthly.SUPPORT_ORDERS)).isEqualTo(3L);
    }

    @Test
    void theUpsellCampaignIsWhatTheDataUpToAsOfGives() {
        Settings settings = Settings.defaults();
        List<Row> all = UpsellCampaignMonthly.apply(orders, lines, products, tickets, AS_OF, settings)
                .collectAsList();
        List<Row> upToAsOf = UpsellCampaignMonthly.apply(cut(orders, "ordered_at"), lines, products,
                cut(tickets, "created_at"), AS_OF, settings).collectAsList();
        assertThat(all).containsExactlyElementsOf(upToAsOf);
        assertThat(all).hasSize(1);
        Row jan = all.get(0);
        // u1 judged and converted; u2 and u3 still open at as-of, though both convert after it
        assertThat(jan.<Long>getAs(UpsellCampaignMonthly.CONTACTED)).isEqualTo(1L);
        assertThat(jan.<Long>getAs(UpsellCampaignMonthly.CONVERTED)).isEqualTo(1L);
        assertThat(jan.<Long>getAs(UpsellCampaignMonthly.PENDING)).isEqualTo(2L);
        assertThat(jan.<BigDecimal>getAs(UpsellCampaignMonthly.REVENUE)).isEqualTo(new BigDecimal("60.00"));
        assertThat(jan.<BigDecimal>getAs(UpsellCampaignMonthly.COGS)).isEqualTo(new BigDecimal("22.00"));
    }

    @Test
    void bothCampaignsInOnePassAreEachCampaignOnItsOwn() {
        int window = Settings.defaults().campaigns().conversionWindowDays();
        List<String> both = List.of(SupportAttribution.UPSELL, SupportAttribution.WINBACK);
        Dataset<Row> together = SupportAttribution.conversions(orders, tickets, both, window);
        for (String campaign : both) {
            List<Row> alone = SupportAttribution.conversions(orders, tickets, List.of(campaign), window)
                    .orderBy(SupportAttribution.TICKET_ID).collectAsList();
            assertThat(together.filter(col(SupportAttribution.CAMPAIGN).equalTo(lit(campaign)))
                    .orderBy(SupportAttribution.TICKET_ID).collectAsList()).containsExactlyElementsOf(alone);
        }
        // u4, after u3, takes o6 in the upsell campaign; w2 converts with o4 though w1 had it in its window
        assertThat(together.filter(col(SupportAttribution.CREDITED))
                .select(SupportAttribution.TICKET_ID).orderBy(SupportAttribution.TICKET_ID).collectAsList())
                .extracting(r -> r.getString(0)).containsExactly("u1", "u2", "u4", "w1", "w2");
    }

    private static SupportPnlMonthly.Inputs inputs(Dataset<Row> orders, Dataset<Row> tickets) {
        return new SupportPnlMonthly.Inputs(orders, lines, products, tickets, agents, refunds, claims, costs);
    }

    private static Dataset<Row> cut(Dataset<Row> rows, String at) {
        return rows.filter(col(at).leq(lit(AS_OF)));
    }
}
