package io.supportroi.model;

import io.supportroi.config.Settings;
import io.supportroi.ingest.LandingSource;
import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.supportroi.testing.Frames.row;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reference files are snapshots: the latest ingested version of a file is the whole truth. An agent dropped from
 * agents.csv is no longer in the reference (but stays an agent while the helpdesks show them).
 */
@ExtendWith(SparkTest.class)
class ReferenceFilesTest {
    private static final Settings SETTINGS = SparkTest.settings();

    @Test
    void theLatestVersionOfAgentsCsvWins(SparkSession spark) {
        Dataset<Row> v1 = BronzeFiles.of(spark, LandingSource.REFERENCE_AGENTS, "reference/agents.csv", "run-1",
                "2025-01-01T00:00:00Z", "agent_email,agent_name,team,monthly_cost,discount_code\n"
                        + "alice@shop.test,Alice,Tier 1,4000,ALICE10\nbob@shop.test,Bob,Tier 1,3900,bob5\n");
        Dataset<Row> v2 = BronzeFiles.of(spark, LandingSource.REFERENCE_AGENTS, "reference/agents.csv", "run-2",
                "2025-02-01T00:00:00Z", "agent_email,agent_name,team,monthly_cost,discount_code\n"
                        + "ALICE@shop.test,Alice A.,Tier 2,4400.5,alice10\ncarol@shop.test,Carol,Tier 1,3800,\n"
                        + "alice@shop.test,Alice Agent,Tier 2,4400.50,ALICE10\n");
        Dataset<Row> seen = Frames.of(spark, "_s_id STRING, _s_name STRING",
                row("bob@shop.test", "Bob B."), row("zendesk:77", null), row("carol@shop.test", "Carol C."));
        assertThat(Frames.sortedRows(Agents.apply(v2.unionByName(v1), seen, SETTINGS)))
                .containsExactly(
                        // the last row of an agent in the file wins
                        "[alice@shop.test,alice@shop.test,Alice Agent,Tier 2,4400.50,ALICE10,true]",
                        "[bob@shop.test,bob@shop.test,Bob B.,null,null,null,false]",
                        "[carol@shop.test,carol@shop.test,Carol,Tier 1,3800.00,null,true]",
                        "[zendesk:77,null,null,null,null,null,false]");
    }

    @Test
    void productsAndCostsFromTheirLatestVersion(SparkSession spark) {
        Dataset<Row> p1 = BronzeFiles.of(spark, LandingSource.REFERENCE_PRODUCTS, "reference/products.csv", "run-1",
                "2025-01-01T00:00:00Z", "sku,unit_cost\nBOX,17.50\nMUG,3\n");
        Dataset<Row> p2 = BronzeFiles.of(spark, LandingSource.REFERENCE_PRODUCTS, "reference/products.csv", "run-2",
                "2025-02-01T00:00:00Z", "sku,unit_cost\nBOX,18.00\n");
        assertThat(Frames.sortedRows(Products.apply(p1.unionByName(p2)))).containsExactly("[BOX,18.00]");

        Dataset<Row> c = BronzeFiles.of(spark, LandingSource.REFERENCE_COSTS, "reference/costs.csv", "run-1",
                "2025-01-01T00:00:00Z", "month,item,amount\n2025-01,tools,100\n2025-01-15,tools,20.5\n"
                        + " 2025-02 ,helpdesk_platform,300.00\n");
        assertThat(Frames.sortedRows(Costs.apply(c)))
                .containsExactly("[2025-01,2025-01-01,tools,120.50]", "[2025-02,2025-02-01,helpdesk_platform,300.00]");
        assertThat(BronzeFiles.reasons(spark, LandingSource.REFERENCE_COSTS, "month,item,amount\nJan 2025,tools,1\n"
                + "2025-13,tools,1\n2025-01,tools,ten\n"))
                .containsExactly("unparseable month (YYYY-MM) in month: Jan 2025",
                        "unparseable month (YYYY-MM) in month: 2025-13", "not an amount in amount: ten");
    }

    @Test
    void claimsFindTheirOrderBySilverIdThenShopifyThenCsv(SparkSession spark) {
        Dataset<Row> orders = Frames.of(spark, "order_id STRING, source STRING, source_order_id STRING, customer_id STRING",
                row("shopify:42", "shopify", "42", "c_a"), row("csv:42", "csv", "42", "c_b"),
                row("csv:K-1", "csv", "K-1", "c_c"));
        Dataset<Row> claims = BronzeFiles.of(spark, LandingSource.REFERENCE_CLAIMS, "reference/claims.csv", "run-1",
                "2025-01-01T00:00:00Z", "claim_id,order_id,carrier,filed_at,amount_claimed,amount_recovered,"
                        + "recovered_at,agent_email\n"
                        + "A,42,UPS,2025-01-02T00:00:00Z,10,,,Alice@Shop.test\n"
                        + "B,csv:42,UPS,2025-01-02T00:00:00Z,10,5,2025-01-09T00:00:00Z,\n"
                        + "C,K-1,UPS,2025-01-02,10,,,\n"
                        + "D,nope,UPS,2025-01-02T00:00:00Z,10,,,\n");
        assertThat(Frames.sortedRows(Claims.apply(claims, orders, SETTINGS).select(Claims.CLAIM_ID, Claims.ORDER_ID,
                        Claims.CUSTOMER_ID, Claims.AMOUNT_RECOVERED, Claims.AGENT_ID)))
                .containsExactly("[A,shopify:42,c_a,null,alice@shop.test]", "[B,csv:42,c_b,5.00,null]",
                        "[C,csv:K-1,c_c,null,null]", "[D,null,null,null,null]");
    }
}
