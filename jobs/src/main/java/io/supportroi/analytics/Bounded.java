package io.supportroi.analytics;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import scala.Function1;

/**
 * Rows whose number is bounded by the business's shape, not by its volume: a row per month, channel, agent, tag,
 * bucket or hour. Every gold table but the worklists, and the small aggregates some of them collect.
 */
public final class Bounded {
    private Bounded() {}

    /**
     * For {@code Dataset.transform}: the rows sorted by {@code order}, gathered into one partition and sorted
     * there. A global {@code orderBy} range-partitions its input instead, and first samples it with a Spark job of
     * its own that computes the plan since its last shuffle once more: for a table of a few rows, a job and a
     * computation of its last stages that the sort does not need (one in every sorted gold table and collect).
     */
    public static <T> Function1<Dataset<T>, Dataset<T>> sortedBy(Column... order) {
        return rows -> rows.repartition(1).sortWithinPartitions(order);
    }
}
