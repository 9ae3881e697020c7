package io.supportroi.analytics.pnl;

import io.supportroi.testing.Frames;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.supportroi.testing.Frames.money;
import static io.supportroi.testing.Frames.row;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(SparkTest.class)
class ShopCurrencyTest {
    @Test
    void moneyInAnotherCurrencyIsKeptApartWhateverItsCase(SparkSession spark) {
        Dataset<Row> orders = Frames.of(spark, "order_id STRING, currency STRING, total DECIMAL(18,2)",
                row("o1", "USD", money("10.00")), row("o2", "usd", money("20.00")), row("o3", null, money("5.00")),
                row("o4", "EUR", money("50.00")), row("o5", "gbp", money("7.00")));
        assertThat(ShopCurrency.only(orders, "currency", "USD").select("order_id").as(
                org.apache.spark.sql.Encoders.STRING()).collectAsList()).containsExactlyInAnyOrder("o1", "o2", "o3");
        assertThat(ShopCurrency.others(orders, "currency", "USD").select("order_id").as(
                org.apache.spark.sql.Encoders.STRING()).collectAsList()).containsExactlyInAnyOrder("o4", "o5");
        assertThat(ShopCurrency.only(orders, "currency", "EUR").count()).isEqualTo(2);
    }
}
