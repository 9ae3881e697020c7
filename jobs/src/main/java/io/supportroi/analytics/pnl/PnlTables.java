package io.supportroi.analytics.pnl;

import io.supportroi.config.Settings;
import io.supportroi.model.Agents;
import io.supportroi.model.Claims;
import io.supportroi.model.Costs;
import io.supportroi.model.OrderLines;
import io.supportroi.model.Products;
import io.supportroi.model.Refunds;
import io.supportroi.model.RenewalAttempts;
import io.supportroi.ops.TableRef;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.sql.Timestamp;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The support P&L and the tables that explain it (KPIs, the upsell campaign, passive churn recovery), wired from
 * silver once, for the gold stage and for the benchmark's Spark side alike.
 */
public final class PnlTables {
    private PnlTables() {}

    /**
     * @param silver     a silver table as this run reads it
     * @param shopOrders silver orders in the shop's currency
     * @param stage      takes each table as it is declared and returns the frame later tables read (the KPIs read
     *                   the P&L)
     * @return the P&L, as staged
     */
    public static Dataset<Row> stage(Function<TableRef, Dataset<Row>> silver, Dataset<Row> tickets,
                                     Dataset<Row> shopOrders, Timestamp asOfEnd, Settings settings,
                                     BiFunction<TableRef, Dataset<Row>, Dataset<Row>> stage) {
        Dataset<Row> orderLines = silver.apply(OrderLines.TABLE);
        Dataset<Row> products = silver.apply(Products.TABLE);
        String currency = settings.pnl().currency();
        Dataset<Row> refunds = ShopCurrency.only(silver.apply(Refunds.TABLE), Refunds.CURRENCY, currency);
        Dataset<Row> renewals = ShopCurrency.only(silver.apply(RenewalAttempts.TABLE), RenewalAttempts.CURRENCY,
                currency);
        Dataset<Row> pnl = stage.apply(SupportPnlMonthly.TABLE, SupportPnlMonthly.apply(new SupportPnlMonthly.Inputs(
                shopOrders, orderLines, products, tickets, silver.apply(Agents.TABLE), refunds,
                silver.apply(Claims.TABLE), silver.apply(Costs.TABLE)), asOfEnd, settings));
        stage.apply(SupportKpisMonthly.TABLE, SupportKpisMonthly.apply(tickets, pnl, asOfEnd, settings.kpi()));
        stage.apply(UpsellCampaignMonthly.TABLE,
                UpsellCampaignMonthly.apply(shopOrders, orderLines, products, tickets, asOfEnd, settings));
        stage.apply(PassiveChurnRecoveryMonthly.TABLE,
                PassiveChurnRecoveryMonthly.apply(renewals, tickets, asOfEnd, settings));
        return pnl;
    }
}
