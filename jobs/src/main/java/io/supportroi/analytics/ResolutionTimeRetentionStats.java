package io.supportroi.analytics;

import io.supportroi.ops.TableRef;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.stat.Correlation;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;

/**
 * {@code gold.resolution_time_retention_stats}: per speed metric, how strongly speed and retention move together
 * (Pearson and Spearman, with p-values) and the knee of the curve. One row per metric: a handful of numbers, so the
 * per-bucket rows they are computed from are small and the correlations run in Spark over the tickets.
 */
public final class ResolutionTimeRetentionStats {
    private ResolutionTimeRetentionStats() {}

    public static final TableRef TABLE = TableRef.gold("resolution_time_retention_stats");

    public static final String METRIC = "metric";
    public static final String N = "n";
    public static final String PEARSON_R = "pearson_r";
    public static final String SPEARMAN_RHO = "spearman_rho";
    public static final String P_VALUE = "p_value";
    public static final String SPEARMAN_P_VALUE = "spearman_p_value";
    public static final String KNEE_HOURS = "knee_hours";
    public static final String FLATTENS_FROM_HOURS = "flattens_from_hours";

    public static final StructType SCHEMA = new StructType()
            .add(METRIC, DataTypes.StringType, false)
            .add(N, DataTypes.LongType, false)
            .add(PEARSON_R, DataTypes.DoubleType, true)
            .add(SPEARMAN_RHO, DataTypes.DoubleType, true)
            .add(P_VALUE, DataTypes.DoubleType, true)
            .add(SPEARMAN_P_VALUE, DataTypes.DoubleType, true)
            .add(KNEE_HOURS, DataTypes.DoubleType, true)
            .add(FLATTENS_FROM_HOURS, DataTypes.DoubleType, true);

    /** Two-sided significance level for "significantly below". */
    static final double ALPHA = 0.05;

    /**
     * @param outcomes eligible tickets with {@code retained} ({@link TicketOutcomes#apply})
     * @param buckets  the rows of {@link ResolutionTimeVsRetention#apply} (ten rows by default)
     */
    public static Dataset<Row> apply(Dataset<Row> outcomes, Dataset<Row> buckets) {
        List<Row> bucketRows = buckets.transform(Bounded.sortedBy(col(ResolutionTimeVsRetention.METRIC),
                col(ResolutionTimeVsRetention.BUCKET_ORDER))).collectAsList();
        List<Row> out = new ArrayList<>();
        for (ResolutionTimeVsRetention.Metric metric : ResolutionTimeVsRetention.metrics()) {
            String name = metric.name();
            Dataset<Row> pairs = outcomes
                    .select(metric.hours().as("hours"),
                            when(col(TicketOutcomes.RETAINED), 1.0).otherwise(0.0).as("retained"))
                    .filter(col("hours").isNotNull());
            long n = pairs.count();
            Double pearson = n > 2 ? correlation(pairs, "pearson") : null;
            Double spearman = n > 2 ? correlation(pairs, "spearman") : null;
            List<Row> mine = bucketRows.stream()
                    .filter(r -> name.equals(r.getAs(ResolutionTimeVsRetention.METRIC))).toList();
            out.add(RowFactory.create(name, n, pearson, spearman, pValue(pearson, n), pValue(spearman, n),
                    kneeHours(mine), flattensFromHours(mine)));
        }
        return outcomes.sparkSession().createDataFrame(out, SCHEMA);
    }

    private static Double correlation(Dataset<Row> pairs, String method) {
        Dataset<Row> vectors = new VectorAssembler().setInputCols(new String[] {"hours", "retained"})
                .setOutputCol("v").transform(pairs).select("v");
        Matrix m = Correlation.corr(vectors, "v", method).head().getAs(0);
        double r = m.apply(0, 1);
        return Double.isNaN(r) ? null : r;
    }

    /** Two-sided p-value of a correlation coefficient from n pairs, by the t statistic with n − 2 degrees of freedom. */
    static Double pValue(Double r, long n) {
        if (r == null || n <= 2) {
            return null;
        }
        if (Math.abs(r) >= 1.0) {
            return 0.0;
        }
        double t = r * Math.sqrt((n - 2) / (1.0 - r * r));
        return 2.0 * new TDistribution(n - 2).cumulativeProbability(-Math.abs(t));
    }

    /**
     * SPEC §4: the slowest bucket bound whose retention is not significantly below the fastest bucket's — walking
     * from the fastest bucket, the upper bound of the last bucket before the first one that is. Null when no bucket
     * is significantly below the fastest (speed never measurably matters) or there is no data.
     */
    static Double kneeHours(List<Row> buckets) {
        Row fastest = null;
        Double knee = null;
        for (Row b : buckets) {
            if (b.<Long>getAs(ResolutionTimeVsRetention.TICKETS) == 0) {
                continue;
            }
            if (fastest == null) {
                fastest = b;
                knee = upper(b);
                continue;
            }
            if (significantlyBelow(b, fastest)) {
                return knee;
            }
            knee = upper(b);
        }
        return null;
    }

    /**
     * SPEC §6's knee, from the slow end: the lower bound of the fastest bucket from which no slower bucket is
     * significantly below it — resolution time beyond which retention no longer falls. Null without data.
     */
    static Double flattensFromHours(List<Row> buckets) {
        List<Row> nonEmpty = buckets.stream().filter(b -> b.<Long>getAs(ResolutionTimeVsRetention.TICKETS) > 0).toList();
        if (nonEmpty.isEmpty()) {
            return null;
        }
        for (int i = 0; i < nonEmpty.size(); i++) {
            boolean flatAfter = true;
            for (int j = i + 1; j < nonEmpty.size(); j++) {
                if (significantlyBelow(nonEmpty.get(j), nonEmpty.get(i))) {
                    flatAfter = false;
                    break;
                }
            }
            if (flatAfter) {
                return nonEmpty.get(i).<Double>getAs(ResolutionTimeVsRetention.LOWER_HOURS);
            }
        }
        return null;
    }

    /** Two-proportion z-test (pooled), two-sided at {@link #ALPHA}, and the difference is downward. */
    public static boolean significantlyBelow(Row slower, Row faster) {
        long n1 = slower.getAs(ResolutionTimeVsRetention.TICKETS);
        long x1 = slower.getAs(ResolutionTimeVsRetention.RETAINED);
        long n2 = faster.getAs(ResolutionTimeVsRetention.TICKETS);
        long x2 = faster.getAs(ResolutionTimeVsRetention.RETAINED);
        double p1 = (double) x1 / n1;
        double p2 = (double) x2 / n2;
        double pooled = (double) (x1 + x2) / (n1 + n2);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        if (se == 0.0) {
            return false;
        }
        double z = (p1 - p2) / se;
        double critical = new NormalDistribution().inverseCumulativeProbability(1 - ALPHA / 2);
        return z < -critical;
    }

    private static Double upper(Row b) {
        return b.isNullAt(b.fieldIndex(ResolutionTimeVsRetention.UPPER_HOURS)) ? null
                : b.<Double>getAs(ResolutionTimeVsRetention.UPPER_HOURS);
    }
}
