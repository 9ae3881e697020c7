package io.supportroi.ops;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.ParsedStatement;
import scala.jdk.javaapi.CollectionConverters;

import java.util.Set;

/**
 * The {@code sql} command's guard: analysts query the warehouse, they do not change it by accident. A statement is
 * read-only when Spark's parser turns it into a plan without commands or write statements anywhere (a query), or
 * into one of the commands that only describe (SHOW, DESCRIBE, EXPLAIN). Everything else (DDL, INSERT, DELETE,
 * UPDATE, MERGE, CACHE, SET) needs {@code --allow-write}. Judged on the parsed plan, before anything runs.
 */
public final class ReadOnlySql {
    private ReadOnlySql() {}

    private static final Set<String> DESCRIBING_COMMANDS = Set.of(
            "ShowTables", "ShowTablesExtended", "ShowViews", "ShowColumns", "ShowNamespaces", "ShowFunctions",
            "ShowTableProperties", "ShowCreateTable", "ShowPartitions", "DescribeRelation", "DescribeColumn",
            "DescribeNamespace", "DescribeFunction", "ExplainCommand");

    /** Throws IllegalArgumentException (exit code 2) naming the kind of statement when it would change anything. */
    public static void check(SparkSession spark, String sql) {
        LogicalPlan plan;
        try {
            plan = ((org.apache.spark.sql.classic.SparkSession) spark).sessionState().sqlParser().parsePlan(sql);
        } catch (org.apache.spark.sql.catalyst.parser.ParseException e) {
            throw new IllegalArgumentException(e.getMessage().lines().findFirst().orElse("bad SQL"), e);
        }
        String name = plan.getClass().getSimpleName();
        if (DESCRIBING_COMMANDS.contains(name)) {
            return;
        }
        LogicalPlan writer = firstWriter(plan);
        if (writer != null) {
            throw new IllegalArgumentException("sql is read-only: " + writer.nodeName()
                    + " statements change the warehouse; pass --allow-write to run them");
        }
    }

    private static LogicalPlan firstWriter(LogicalPlan plan) {
        if (plan instanceof Command || plan instanceof ParsedStatement) {
            return plan;
        }
        for (LogicalPlan child : CollectionConverters.asJava(plan.children())) {
            LogicalPlan w = firstWriter(child);
            if (w != null) {
                return w;
            }
        }
        return null;
    }
}
