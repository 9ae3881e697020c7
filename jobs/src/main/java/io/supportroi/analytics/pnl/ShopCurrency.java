package io.supportroi.analytics.pnl;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.upper;

/**
 * Money is summed in the shop's currency only (SPEC §3). A record in another currency (a second storefront, a
 * foreign card) stays in silver, counts for retention and loyalty like any other, and is kept out of every money
 * total: 50 EUR added to 50 USD is not 100 of anything.
 */
public final class ShopCurrency {
    private ShopCurrency() {}

    /** The rows in {@code currency}; a row without a currency is the shop's (canonical CSVs may leave it out). */
    public static Dataset<Row> only(Dataset<Row> rows, String currencyColumn, String currency) {
        return rows.filter(col(currencyColumn).isNull().or(upper(col(currencyColumn)).equalTo(currency)));
    }

    /** The rows in any other currency. */
    public static Dataset<Row> others(Dataset<Row> rows, String currencyColumn, String currency) {
        return rows.filter(col(currencyColumn).isNotNull().and(upper(col(currencyColumn)).notEqual(currency)));
    }
}
