package io.supportroi.analytics.pnl;

import io.supportroi.model.Conform;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.math.BigDecimal;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_ym_interval;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.trunc;

/** Calendar months (UTC) as the monthly gold tables key them, and money sums that stay decimal(18,2). */
public final class Months {
    private Months() {}

    /** "2025-01": the label, as {@code reference/costs.csv} and {@code silver.costs} write months. */
    public static final String MONTH = "month";
    /** The month's first day, for joins, ordering and charts. */
    public static final String MONTH_START = "month_start";

    public static final String MONEY = Conform.MONEY;

    /** The first day of the month of a timestamp or date. */
    public static Column start(Column timestampOrDate) {
        return trunc(timestampOrDate.cast("date"), "month");
    }

    public static Column label(Column monthStart) {
        return date_format(monthStart, "yyyy-MM");
    }

    /**
     * Every month from the earliest to the latest of the given month starts, gaps included: a month with no
     * activity is still a month in which the team is paid.
     *
     * @param monthStarts one column, {@link #MONTH_START}
     * @return month_start (one row per month, none when the input is empty)
     */
    public static Dataset<Row> range(Dataset<Row> monthStarts) {
        return monthStarts.agg(min(MONTH_START).as("_first"), max(MONTH_START).as("_last"))
                .filter(col("_first").isNotNull())
                .select(explode(sequence(col("_first"), col("_last"), make_ym_interval(lit(0), lit(1))))
                        .as(MONTH_START));
    }

    public static Column zero() {
        return lit(BigDecimal.ZERO.setScale(2)).cast(MONEY);
    }

    /** A money column that is 0 where a month had nothing, as decimal(18,2). */
    public static Column orZero(String column) {
        return coalesce(col(column), zero()).cast(MONEY);
    }
}
