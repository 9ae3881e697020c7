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
import java.util.function.UnaryOperator;

/**
 * The support P&L and the tables that explain it (KPIs, the upsell campaign, passive churn recovery), wired from
 * silver once, for the gold stage and for the benchmark's Spark side alike.
 */
public final class PnlTables {
    private PnlTables() {}

    /**
     * The run's attribution of the shop's orders, for {@link #stage} and the agents' sales revenue.
     *
     * @param hold applied to what several tables read (the gold stage caches it)
     */
    public static SupportAttribution.Attributed attribute(Function<TableRef, Dataset<Row>> silver, Dataset<Row> tickets,
                                                          Dataset<Row> shopOrders, Settings settings,
                                                          UnaryOperator<Dataset<Row>> hold) {
        return SupportAttribution.attribute(SupportPnlMonthly.withoutReplacements(shopOrders,
                        settings.pnl().replacementOrderTags()), silver.apply(OrderLines.TABLE),
                silver.apply(Products.TABLE), tickets, SupportPnlMonthly.agentCodes(silver.apply(Agents.TABLE)),
                settings.campaigns(), hold);
    }

    /**
     * @param silver     a silver table as this run reads it
     * @param shopOrders silver orders in the shop's currency
     * @param attributed {@link SupportAttribution#attribute} of those orders without replacements
     * @param stage      takes each table as it is declared and returns the frame later tables read (the KPIs read
     *                   the P&L)
     * @return the P&L, as staged
     */
    public static Dataset<Row> stage(Function<TableRef, Dataset<Row>> silver, Dataset<Row> tickets,
                                     Dataset<Row> shopOrders, SupportAttribution.Attributed attributed,
                                     Timestamp asOfEnd, Settings settings,
                                     BiFunction<TableRef, Dataset<Row>, Dataset<Row>> stage) {
        Dataset<Row> orderLines = silver.apply(OrderLines.TABLE);
        String currency = settings.pnl().currency();
        Dataset<Row> refunds = ShopCurrency.only(silver.apply(Refunds.TABLE), Refunds.CURRENCY, currency);
        Dataset<Row> renewals = ShopCurrency.only(silver.apply(RenewalAttempts.TABLE), RenewalAttempts.CURRENCY,
                currency);
        Dataset<Row> pnl = stage.apply(SupportPnlMonthly.TABLE, SupportPnlMonthly.apply(new SupportPnlMonthly.Inputs(
                shopOrders, orderLines, silver.apply(Products.TABLE), tickets, silver.apply(Agents.TABLE), refunds,
                silver.apply(Claims.TABLE), silver.apply(Costs.TABLE)), attributed, asOfEnd, settings));
        stage.apply(SupportKpisMonthly.TABLE, SupportKpisMonthly.apply(tickets, pnl, asOfEnd, settings.kpi()));
        stage.apply(UpsellCampaignMonthly.TABLE,
                UpsellCampaignMonthly.apply(attributed, asOfEnd, settings));
        stage.apply(PassiveChurnRecoveryMonthly.TABLE,
                PassiveChurnRecoveryMonthly.apply(renewals, tickets, asOfEnd, settings));
        return pnl;
    }
}
