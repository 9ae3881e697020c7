package io.supportroi.ops;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.analysis.CurrentNamespace$;
import org.apache.spark.sql.catalyst.analysis.ExpressionWithUnresolvedIdentifier;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry$;
import org.apache.spark.sql.catalyst.analysis.PlanWithUnresolvedIdentifier;
import org.apache.spark.sql.catalyst.analysis.RelationTimeTravel;
import org.apache.spark.sql.catalyst.analysis.TableFunctionRegistry$;
import org.apache.spark.sql.catalyst.analysis.UnresolvedExecuteImmediate;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunction;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunctionName;
import org.apache.spark.sql.catalyst.analysis.UnresolvedGenerator;
import org.apache.spark.sql.catalyst.analysis.UnresolvedHaving;
import org.apache.spark.sql.catalyst.analysis.UnresolvedIdentifier;
import org.apache.spark.sql.catalyst.analysis.UnresolvedInlineTable;
import org.apache.spark.sql.catalyst.analysis.UnresolvedNamespace;
import org.apache.spark.sql.catalyst.analysis.UnresolvedPartitionSpec;
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.analysis.UnresolvedSubqueryColumnAliases;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTVFAliases;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTable;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTableOrView;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTableValuedFunction;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.PipeOperator;
import org.apache.spark.sql.catalyst.expressions.PlanExpression;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.logical.Aggregate;
import org.apache.spark.sql.catalyst.plans.logical.CloneTableStatement;
import org.apache.spark.sql.catalyst.plans.logical.CompoundBody;
import org.apache.spark.sql.catalyst.plans.logical.CreateNamespace;
import org.apache.spark.sql.catalyst.plans.logical.CreateFunction;
import org.apache.spark.sql.catalyst.plans.logical.DescribeColumn;
import org.apache.spark.sql.catalyst.plans.logical.DescribeFunction;
import org.apache.spark.sql.catalyst.plans.logical.DescribeNamespace;
import org.apache.spark.sql.catalyst.plans.logical.DescribeRelation;
import org.apache.spark.sql.catalyst.plans.logical.Distinct;
import org.apache.spark.sql.catalyst.plans.logical.Except;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.Generate;
import org.apache.spark.sql.catalyst.plans.logical.GlobalLimit;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoDir;
import org.apache.spark.sql.catalyst.plans.logical.Intersect;
import org.apache.spark.sql.catalyst.plans.logical.Join;
import org.apache.spark.sql.catalyst.plans.logical.LateralJoin;
import org.apache.spark.sql.catalyst.plans.logical.LimitAll;
import org.apache.spark.sql.catalyst.plans.logical.LoadData;
import org.apache.spark.sql.catalyst.plans.logical.LocalLimit;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Offset;
import org.apache.spark.sql.catalyst.plans.logical.OneRowRelation;
import org.apache.spark.sql.catalyst.plans.logical.Pivot;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.plans.logical.RepartitionByExpression;
import org.apache.spark.sql.catalyst.plans.logical.Sample;
import org.apache.spark.sql.catalyst.plans.logical.ScriptTransformation;
import org.apache.spark.sql.catalyst.plans.logical.SetNamespaceLocation;
import org.apache.spark.sql.catalyst.plans.logical.SetTableLocation;
import org.apache.spark.sql.catalyst.plans.logical.ShowColumns;
import org.apache.spark.sql.catalyst.plans.logical.ShowCreateTable;
import org.apache.spark.sql.catalyst.plans.logical.ShowFunctions;
import org.apache.spark.sql.catalyst.plans.logical.ShowPartitions;
import org.apache.spark.sql.catalyst.plans.logical.ShowTableProperties;
import org.apache.spark.sql.catalyst.plans.logical.ShowTables;
import org.apache.spark.sql.catalyst.plans.logical.ShowTablesExtended;
import org.apache.spark.sql.catalyst.plans.logical.ShowViews;
import org.apache.spark.sql.catalyst.plans.logical.Sort;
import org.apache.spark.sql.catalyst.plans.logical.SubqueryAlias;
import org.apache.spark.sql.catalyst.plans.logical.Union;
import org.apache.spark.sql.catalyst.plans.logical.Unpivot;
import org.apache.spark.sql.catalyst.plans.logical.UnresolvedHint;
import org.apache.spark.sql.catalyst.plans.logical.UnresolvedTableSpec;
import org.apache.spark.sql.catalyst.plans.logical.UnresolvedWith;
import org.apache.spark.sql.catalyst.plans.logical.WithWindowDefinition;
import org.apache.spark.sql.delta.UnresolvedPathBasedDeltaTable;
import org.apache.spark.sql.delta.UnresolvedPathBasedDeltaTableRelation;
import org.apache.spark.sql.delta.UnresolvedPathBasedTable;
import org.apache.spark.sql.delta.commands.ConvertToDeltaCommand;
import org.apache.spark.sql.delta.commands.DescribeDeltaDetailCommand;
import org.apache.spark.sql.delta.commands.DescribeDeltaHistory;
import org.apache.spark.sql.execution.command.AddArchivesCommand;
import org.apache.spark.sql.execution.command.AddFilesCommand;
import org.apache.spark.sql.execution.command.AddJarsCommand;
import org.apache.spark.sql.execution.command.CreateFunctionCommand;
import org.apache.spark.sql.execution.command.CreateSQLFunctionCommand;
import org.apache.spark.sql.execution.command.CreateTableLikeCommand;
import org.apache.spark.sql.execution.command.DescribeQueryCommand;
import org.apache.spark.sql.execution.command.ExplainCommand;
import org.apache.spark.sql.execution.command.ResetCommand;
import org.apache.spark.sql.execution.command.SetCommand;
import org.apache.spark.sql.execution.command.ShowCatalogsCommand;
import org.apache.spark.sql.execution.command.ShowCurrentNamespaceCommand;
import org.apache.spark.sql.execution.command.ShowNamespacesCommand;
import org.apache.spark.sql.execution.datasources.CreateTempViewUsing;
import org.apache.spark.sql.execution.datasources.DataSource$;
import org.apache.spark.sql.execution.datasources.RefreshResource;
import org.apache.spark.sql.internal.SQLConf;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code sql} command's guard, judged on Spark's parsed plan before anything runs. Analysts query the warehouse;
 * they do not change it, read the machine's files or run code by accident or by design.
 *
 * <ul>
 * <li>Without {@code write}, a statement is allowed only when every node of its plan, its subqueries, CTEs and the
 * plan EXPLAIN or DESCRIBE QUERY wraps, is on an allow-list: query operators, and the commands that only describe
 * (SHOW, DESCRIBE, EXPLAIN, Delta's DESCRIBE HISTORY and DETAIL). Anything else, Delta's RESTORE, VACUUM and OPTIMIZE
 * included, could change the warehouse or the session. Relations must be {@code layer.table} (optionally
 * {@code spark_catalog.layer.table}) or a CTE's name, and functions Spark's built-ins.</li>
 * <li>Without {@code files}, nothing may name files by path: {@code format.`path`} relations (Spark reads them,
 * {@code text.`/etc/passwd`} included), Delta's {@code '/path'} forms, LOAD DATA, INSERT OVERWRITE DIRECTORY, CONVERT
 * TO DELTA, REFRESH of a path, LOCATION and path options of new tables and views.</li>
 * <li>Never, whatever is allowed: running code (reflect, java_method, try_reflect, TRANSFORM … USING, ADD
 * JAR/FILE/ARCHIVE, CREATE FUNCTION of any kind), and what cannot be judged before it runs: EXECUTE IMMEDIATE, SQL
 * scripts (BEGIN … END) and IDENTIFIER(…) names.</li>
 * </ul>
 *
 * Classes were checked against Spark 4.1's parser with Delta's extension (ReadOnlySqlTest): Delta's RESTORE parses to
 * RestoreTableStatement and CLONE to CloneTableStatement, neither a Command, which is why this is an allow-list.
 */
public final class ReadOnlySql {
    private ReadOnlySql() {}

    /** What a statement may do beyond reading the warehouse's tables. */
    public record Permissions(boolean write, boolean files) {
        public static final Permissions READ_ONLY = new Permissions(false, false);
    }

    private static final Set<Class<?>> QUERY_OPERATORS = Set.of(
            Project.class, Filter.class, Aggregate.class, Join.class, LateralJoin.class, Sort.class,
            GlobalLimit.class, LocalLimit.class, LimitAll.class, Offset.class, Distinct.class, Union.class,
            Intersect.class, Except.class, SubqueryAlias.class, OneRowRelation.class, LocalRelation.class,
            Generate.class, Sample.class, Pivot.class, Unpivot.class, WithWindowDefinition.class,
            UnresolvedHint.class, RepartitionByExpression.class, UnresolvedWith.class, PipeOperator.class,
            UnresolvedRelation.class, RelationTimeTravel.class, UnresolvedHaving.class,
            UnresolvedSubqueryColumnAliases.class, UnresolvedTableValuedFunction.class, UnresolvedTVFAliases.class,
            UnresolvedInlineTable.class);

    private static final Set<Class<?>> DESCRIBING_COMMANDS = Set.of(
            ShowTables.class, ShowTablesExtended.class, ShowViews.class, ShowColumns.class,
            ShowNamespacesCommand.class, ShowFunctions.class, ShowTableProperties.class, ShowCreateTable.class,
            ShowPartitions.class, ShowCatalogsCommand.class, ShowCurrentNamespaceCommand.class,
            DescribeRelation.class, DescribeColumn.class, DescribeNamespace.class, DescribeFunction.class,
            DescribeQueryCommand.class, ExplainCommand.class, DescribeDeltaHistory.class,
            DescribeDeltaDetailCommand.class);

    /**
     * What describing commands describe: names only, checked as relations where they name a table, and Delta's
     * {@code '/path'} targets, which need {@code files}.
     */
    private static final Set<Class<?>> DESCRIBED = Set.of(UnresolvedTableOrView.class, UnresolvedTable.class,
            UnresolvedNamespace.class, CurrentNamespace$.class, UnresolvedFunctionName.class,
            UnresolvedPathBasedTable.class, UnresolvedPathBasedDeltaTable.class,
            UnresolvedPathBasedDeltaTableRelation.class);

    private static final Map<Class<?>, String> RUNS_CODE = Map.of(
            AddJarsCommand.class, "ADD JAR", AddFilesCommand.class, "ADD FILE",
            AddArchivesCommand.class, "ADD ARCHIVE", CreateFunctionCommand.class, "CREATE FUNCTION",
            CreateSQLFunctionCommand.class, "CREATE FUNCTION", CreateFunction.class, "CREATE FUNCTION",
            ScriptTransformation.class, "TRANSFORM ... USING");

    private static final Map<Class<?>, String> UNCHECKABLE = Map.of(
            UnresolvedExecuteImmediate.class, "EXECUTE IMMEDIATE", CompoundBody.class, "SQL scripts (BEGIN ... END)",
            PlanWithUnresolvedIdentifier.class, "IDENTIFIER(...) names");

    private static final Set<Class<?>> NAMES_FILES = Set.of(LoadData.class, InsertIntoDir.class,
            RefreshResource.class, UnresolvedPathBasedTable.class, UnresolvedPathBasedDeltaTable.class,
            UnresolvedPathBasedDeltaTableRelation.class, SetTableLocation.class, SetNamespaceLocation.class);

    /**
     * Where a new table or view may keep its data without {@code files}: Delta and Parquet files under the warehouse.
     * Any other source (text over /etc, jdbc, …) reads or writes outside it.
     */
    private static final Set<String> WAREHOUSE_FORMATS = Set.of("delta", "parquet");

    /**
     * The session settings {@code SET} may change, with {@code write}: how queries run, not what they may reach. A
     * catalog (spark.sql.catalog.*: a JDBC catalog runs the database's code), runSQLOnFiles, the default data source
     * and the legacy switches would undo this guard's other rules; {@code RESET} of anything else would too (it
     * turns runSQLOnFiles back on).
     */
    private static final List<String> SETTABLE = List.of("spark.sql.shuffle.partitions", "spark.sql.session.timezone",
            "spark.sql.ansi.enabled", "spark.sql.adaptive.", "spark.sql.autobroadcastjointhreshold",
            "spark.sql.files.maxpartitionbytes", "spark.sql.maxplanstringlength", "spark.sql.debug.maxtostringfields");

    /** Table functions that read files by path. */
    private static final Set<String> FILE_TABLE_FUNCTIONS = Set.of("table_changes_by_path");

    /** Built-ins that call Java methods by name. */
    private static final Set<String> CODE_FUNCTIONS = Set.of("reflect", "java_method", "try_reflect");

    /** Built-ins that read a file named by an argument (a Protobuf descriptor). */
    private static final Set<String> FILE_FUNCTIONS = Set.of("from_protobuf", "to_protobuf");

    private static final Set<String> LAYERS = Arrays.stream(Layer.values()).map(Layer::dir)
            .collect(Collectors.toUnmodifiableSet());

    /** Read-only, no files: what notebooks and the plain {@code sql} command run. */
    public static void check(SparkSession spark, String sql) {
        check(spark, sql, Permissions.READ_ONLY);
    }

    /**
     * Throws IllegalArgumentException with a one-line reason when the statement does more than {@code allowed}, or
     * does not parse.
     */
    public static void check(SparkSession spark, String sql, Permissions allowed) {
        var state = ((org.apache.spark.sql.classic.SparkSession) spark).sessionState();
        LogicalPlan plan;
        try {
            plan = state.sqlParser().parsePlan(sql);
        } catch (ParseException e) {
            // Spark's message starts with a blank line and ends with the statement and a caret: keep the reason.
            throw new IllegalArgumentException(e.getMessage().lines().map(String::strip).filter(l -> !l.isEmpty())
                    .findFirst().orElse("bad SQL"), e);
        }
        new Walk(allowed, state.conf()).plan(plan);
    }

    /**
     * Every plan and expression a node holds beyond its children: in fields, Options, Seqs, Maps and tuples (the
     * plan EXPLAIN wraps, INSERT's target, WINDOW's definitions, which are a Map of name to expression).
     */
    private static void held(Object field, List<Object> out) {
        if (field instanceof LogicalPlan || field instanceof Expression) {
            out.add(field);
        } else if (field instanceof Option<?> o) {
            if (o.isDefined()) {
                held(o.get(), out);
            }
        } else if (field instanceof scala.collection.Iterable<?> it) {
            CollectionConverters.asJava(it).forEach(x -> held(x, out));
        } else if (field instanceof scala.Product tuple && tuple.productPrefix().startsWith("Tuple")) {
            CollectionConverters.asJava(tuple.productIterator()).forEachRemaining(x -> held(x, out));
        }
    }

    private static List<Object> parts(scala.Product node) {
        List<Object> out = new ArrayList<>();
        CollectionConverters.asJava(node.productIterator()).forEachRemaining(field -> held(field, out));
        return out;
    }

    /** One pass over a statement's plans and expressions; the first thing not allowed throws. */
    private static final class Walk {
        private final Permissions allowed;
        private final SQLConf conf;
        /** The CTE names in scope where the walk is: a WITH's names hold in its definitions and its query only. */
        private final Deque<Set<String>> ctes = new ArrayDeque<>();
        private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());

        Walk(Permissions allowed, SQLConf conf) {
            this.allowed = allowed;
            this.conf = conf;
        }

        void plan(LogicalPlan p) {
            if (!seen.add(p)) {
                return;
            }
            Class<?> kind = p.getClass();
            if (RUNS_CODE.containsKey(kind)) {
                throw new IllegalArgumentException(neverRunsCode(RUNS_CODE.get(kind)));
            }
            if (UNCHECKABLE.containsKey(kind)) {
                throw new IllegalArgumentException("sql does not run " + UNCHECKABLE.get(kind)
                        + ": what they do is known only as they run, so they cannot be checked first");
            }
            if (!allowed.write() && !QUERY_OPERATORS.contains(kind) && !DESCRIBING_COMMANDS.contains(kind)
                    && !DESCRIBED.contains(kind)) {
                throw new IllegalArgumentException("sql is read-only: " + p.nodeName()
                        + " statements can change the warehouse or the session; pass --allow-write to run them");
            }
            if (namesFiles(p) && !allowed.files()) {
                throw new IllegalArgumentException(needsFiles(p.nodeName() + " names files by path"));
            }
            names(p);
            settings(p);
            if (p instanceof UnresolvedWith w) {
                with(w);
                return;
            }
            List<Object> inside = parts(p);
            inside.addAll(CollectionConverters.asJava(p.children()));
            CollectionConverters.asJava(p.innerChildren()).forEach(inner -> held(inner, inside));
            visit(inside);
        }

        /**
         * A WITH's definitions, each in the scope of the names defined before it (and of its own under RECURSIVE:
         * otherwise a definition's own name is a catalog table), then its query in the scope of them all.
         */
        private void with(UnresolvedWith w) {
            Set<String> defined = new HashSet<>();
            ctes.push(defined);
            try {
                for (var definition : CollectionConverters.asJava(w.cteRelations())) {
                    String name = definition._1().toLowerCase(Locale.ROOT);
                    if (w.allowRecursion()) {
                        defined.add(name);
                    }
                    plan(definition._2());
                    defined.add(name);
                }
                plan(w.child());
            } finally {
                ctes.pop();
            }
        }

        /** SET and RESET, allowed by {@code write}, of the settings in {@link #SETTABLE} only. */
        private void settings(LogicalPlan p) {
            String key = null;
            if (p instanceof SetCommand set && set.kv().isDefined() && set.kv().get()._2().isDefined()) {
                key = set.kv().get()._1();
            } else if (p instanceof ResetCommand reset) {
                key = reset.config().isDefined() ? reset.config().get() : "";
            }
            if (key != null && !settable(key)) {
                throw new IllegalArgumentException("sql sets only how queries run (" + String.join(", ", SETTABLE)
                        + "): " + (key.isEmpty() ? "RESET of every setting" : key) + " could undo what sql refuses");
            }
        }

        private static boolean settable(String key) {
            String k = key.strip().toLowerCase(Locale.ROOT);
            return !k.isEmpty() && SETTABLE.stream().anyMatch(s -> s.endsWith(".") ? k.startsWith(s) : k.equals(s));
        }

        private boolean namesFiles(LogicalPlan p) {
            if (NAMES_FILES.contains(p.getClass())) {
                return true;
            }
            if (p instanceof CreateTempViewUsing v) {
                return !WAREHOUSE_FORMATS.contains(v.provider().toLowerCase(Locale.ROOT))
                        || hasPath(CollectionConverters.asJava(v.options()).keySet());
            }
            if (p instanceof CreateTableLikeCommand like) {
                return like.fileFormat().locationUri().isDefined() || like.provider().exists(
                        provider -> !WAREHOUSE_FORMATS.contains(provider.toLowerCase(Locale.ROOT)));
            }
            if (p instanceof CloneTableStatement clone) {
                return clone.targetLocation().isDefined();
            }
            if (p instanceof CreateNamespace namespace) {
                return CollectionConverters.asJava(namespace.properties()).keySet().stream()
                        .anyMatch(k -> k.equalsIgnoreCase("location"));
            }
            if (p instanceof ConvertToDeltaCommand c) {
                Option<String> format = c.tableIdentifier().database();
                return format.isDefined() && isDataSource(format.get());
            }
            return false;
        }

        private static boolean hasPath(Iterable<String> optionKeys) {
            for (String key : optionKeys) {
                if (key.equalsIgnoreCase("path") || key.equalsIgnoreCase("paths")) {
                    return true;
                }
            }
            return false;
        }

        /** The relations a plan node names, and the tables a describing command describes. */
        private void names(LogicalPlan p) {
            if (p instanceof UnresolvedRelation r) {
                relation(CollectionConverters.asJava(r.multipartIdentifier()), true);
                if (!allowed.write() && !allowed.files() && !r.options().isEmpty()) {
                    throw new IllegalArgumentException("sql is read-only: options on a table (WITH (...)) can point "
                            + "a read elsewhere; pass --allow-files to use them");
                }
            } else if (p instanceof UnresolvedTableOrView t) {
                relation(CollectionConverters.asJava(t.multipartIdentifier()), false);
            } else if (p instanceof UnresolvedTable t) {
                relation(CollectionConverters.asJava(t.multipartIdentifier()), false);
            } else if (p instanceof UnresolvedTableValuedFunction f) {
                tableFunction(CollectionConverters.asJava(f.name()));
            } else if (p instanceof UnresolvedIdentifier target) {
                // What a CREATE, REPLACE or DROP names: any table with write, but never files by path.
                List<String> parts = CollectionConverters.asJava(target.nameParts());
                if (isPath(parts) && !allowed.files()) {
                    throw new IllegalArgumentException(needsFiles(String.join(".", parts) + " names files by path"));
                }
            } else if (p instanceof CreateTableLikeCommand like) {
                var source = like.sourceTable();
                relation(source.database().isDefined() ? List.of(source.database().get(), source.table())
                        : List.of(source.table()), false);
            }
        }

        /** Delta's catalog reads spark_catalog.delta.`/path` as a path, as Spark reads delta.`/path`. */
        private static List<String> withoutSessionCatalog(List<String> named) {
            return named.size() == 3 && named.get(0).equalsIgnoreCase("spark_catalog") ? named.subList(1, 3) : named;
        }

        private boolean isPath(List<String> named) {
            List<String> parts = withoutSessionCatalog(named);
            return parts.size() == 2 && isDataSource(parts.get(0));
        }

        private void relation(List<String> named, boolean mayBeCte) {
            String name = String.join(".", named);
            List<String> parts = withoutSessionCatalog(named);
            if (isWarehouseTable(parts) || (mayBeCte && parts.size() == 1 && inCteScope(parts.get(0)))) {
                return;
            }
            boolean byPath = isPath(named);
            if (byPath && !allowed.files()) {
                throw new IllegalArgumentException(needsFiles(parts.get(0) + ".`" + parts.get(1) + "` names files by path"));
            }
            if (!byPath && !allowed.write()) {
                throw new IllegalArgumentException("sql reads the warehouse's tables (bronze.x, silver.x, gold.x, "
                        + "ops.x) and CTEs: " + name + " is neither");
            }
        }

        private boolean inCteScope(String name) {
            String key = name.toLowerCase(Locale.ROOT);
            return ctes.stream().anyMatch(scope -> scope.contains(key));
        }

        private static boolean isWarehouseTable(List<String> parts) {
            return parts.size() == 2 && LAYERS.contains(parts.get(0).toLowerCase(Locale.ROOT));
        }

        /** How Spark decides that {@code x.`y`} reads files: x names a data source (Delta's included). */
        private boolean isDataSource(String name) {
            if (name.equalsIgnoreCase("delta")) {
                return true;
            }
            try {
                DataSource$.MODULE$.lookupDataSource(name, conf);
                return true;
            } catch (Exception | LinkageError e) {
                // Spark's SparkClassNotFoundException, a checked exception Scala does not declare: no such source.
                return false;
            }
        }

        private void tableFunction(List<String> parts) {
            String name = parts.get(parts.size() - 1).toLowerCase(Locale.ROOT);
            if (FILE_TABLE_FUNCTIONS.contains(name) && !allowed.files()) {
                throw new IllegalArgumentException(needsFiles(name + "() reads files by path"));
            }
            boolean builtin = parts.size() == 1 && TableFunctionRegistry$.MODULE$.builtin()
                    .functionExists(FunctionIdentifier.apply(name));
            if (!builtin && !allowed.write()) {
                throw new IllegalArgumentException("sql is read-only: it runs only Spark's built-in table functions,"
                        + " and " + String.join(".", parts) + " is not one");
            }
        }

        void expression(Expression e) {
            if (!seen.add(e)) {
                return;
            }
            if (e instanceof ExpressionWithUnresolvedIdentifier) {
                throw new IllegalArgumentException("sql does not run IDENTIFIER(...) names: what they do is known "
                        + "only as they run, so they cannot be checked first");
            }
            if (e instanceof UnresolvedFunction f) {
                function(CollectionConverters.asJava(f.nameParts()));
            } else if (e instanceof UnresolvedGenerator g) {
                FunctionIdentifier id = g.name();
                function(id.database().isDefined() ? List.of(id.database().get(), id.funcName())
                        : List.of(id.funcName()));
            } else if (e instanceof UnresolvedTableSpec spec && !allowed.files()) {
                tableSpec(spec);
            } else if (e instanceof UnresolvedPartitionSpec partition && partition.location().isDefined()
                    && !allowed.files()) {
                throw new IllegalArgumentException(needsFiles("LOCATION '" + partition.location().get()
                        + "' names files by path"));
            } else if (e instanceof PlanExpression<?> pe && pe.plan() instanceof LogicalPlan lp) {
                plan(lp);
            }
            List<Object> inside = parts(e);
            inside.addAll(CollectionConverters.asJava(e.children()));
            visit(inside);
        }

        /** Plans and expressions, as {@link #held} collects them. */
        private void visit(List<Object> nodes) {
            for (Object node : nodes) {
                if (node instanceof LogicalPlan lp) {
                    plan(lp);
                } else {
                    expression((Expression) node);
                }
            }
        }

        /** A new table's data stays in the warehouse, as Delta or Parquet, unless files are allowed. */
        private static void tableSpec(UnresolvedTableSpec spec) {
            if (spec.location().isDefined()) {
                throw new IllegalArgumentException(needsFiles("LOCATION '" + spec.location().get()
                        + "' names files by path"));
            }
            String provider = spec.provider().isDefined() ? spec.provider().get().toLowerCase(Locale.ROOT) : "";
            if (!provider.isEmpty() && !WAREHOUSE_FORMATS.contains(provider) || spec.serde().isDefined()) {
                throw new IllegalArgumentException(needsFiles("USING " + (provider.isEmpty() ? "a Hive format"
                        : provider) + " reads or writes outside the warehouse's Delta tables"));
            }
            if (hasPath(CollectionConverters.asJava(spec.optionExpression().options()).stream()
                    .map(scala.Tuple2::_1).toList())) {
                throw new IllegalArgumentException(needsFiles("OPTIONS (path ...) names files by path"));
            }
        }

        private void function(List<String> parts) {
            String name = parts.get(parts.size() - 1).toLowerCase(Locale.ROOT);
            if (CODE_FUNCTIONS.contains(name)) {
                throw new IllegalArgumentException(neverRunsCode(name + "()"));
            }
            if (FILE_FUNCTIONS.contains(name) && !allowed.files()) {
                throw new IllegalArgumentException(needsFiles(name + "() reads a file by path"));
            }
            if (!allowed.write() && !(isBuiltinQualifier(parts) && FunctionRegistry$.MODULE$.builtin()
                    .functionExists(FunctionIdentifier.apply(name)))) {
                throw new IllegalArgumentException("sql is read-only: it runs only Spark's built-in functions, and "
                        + String.join(".", parts) + " is not one");
            }
        }

        /** {@code f}, {@code builtin.f} and {@code system.builtin.f} name a built-in; other qualifiers a catalog's. */
        private static boolean isBuiltinQualifier(List<String> parts) {
            List<String> qualifier = parts.subList(0, parts.size() - 1).stream()
                    .map(s -> s.toLowerCase(Locale.ROOT)).toList();
            return qualifier.isEmpty() || qualifier.equals(List.of("builtin"))
                    || qualifier.equals(List.of("system", "builtin"));
        }

        private static String neverRunsCode(String what) {
            return "sql never runs code: " + what + " is refused, with --allow-write too";
        }

        private static String needsFiles(String what) {
            return "sql reads only the warehouse's tables: " + what + "; pass --allow-files to allow it";
        }
    }
}
