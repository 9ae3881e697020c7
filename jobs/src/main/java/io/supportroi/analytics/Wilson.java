package io.supportroi.analytics;

import org.apache.spark.sql.Column;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;

/**
 * Wilson score interval for a binomial rate, as Spark columns so it runs where the counts are. Null when there are
 * no trials. Cross-checked against Commons Math's {@code WilsonScoreInterval} in the tests.
 */
public final class Wilson {
    private Wilson() {}

    public static Column low(Column successes, Column trials, double z) {
        return bound(successes, trials, z, -1);
    }

    public static Column high(Column successes, Column trials, double z) {
        return bound(successes, trials, z, +1);
    }

    private static Column bound(Column successes, Column trials, double z, int sign) {
        Column n = trials.cast("double");
        Column p = successes.cast("double").divide(n);
        double z2 = z * z;
        Column denominator = lit(1.0).plus(lit(z2).divide(n));
        Column centre = p.plus(lit(z2).divide(n.multiply(2.0)));
        Column half = lit(z).multiply(sqrt(p.multiply(lit(1.0).minus(p)).divide(n)
                .plus(lit(z2).divide(n.multiply(n).multiply(4.0)))));
        Column value = (sign < 0 ? centre.minus(half) : centre.plus(half)).divide(denominator);
        return when(trials.isNull().or(trials.leq(0)), lit(null).cast("double")).otherwise(value);
    }
}
