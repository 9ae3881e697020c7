package io.supportroi.bench;

import org.apache.spark.sql.Row;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Whether two engines computed the same table: rows matched on key columns, every column of the reference
 * compared. Money (decimals) must be equal to the cent, counts exactly, rates (doubles) to within 1e-9 (relative
 * for values above 1, such as a chi-square statistic).
 */
public final class TableDiff {
    private TableDiff() {}

    public static final double RATE_TOLERANCE = 1e-9;

    /** At most this many differences are listed; the count is always complete. */
    private static final int LISTED = 20;

    public record Result(int rows, int differences, List<String> listed) {
        public boolean same() {
            return differences == 0;
        }
    }

    public static Map<String, Object> asMap(Row r) {
        Map<String, Object> out = new LinkedHashMap<>();
        String[] names = r.schema().fieldNames();
        for (int i = 0; i < names.length; i++) {
            out.put(names[i], r.get(i));
        }
        return out;
    }

    public static Result compare(List<Map<String, Object>> reference, List<Map<String, Object>> other,
                                 List<String> keys) {
        Map<String, Map<String, Object>> byKey = index(other, keys);
        List<String> listed = new ArrayList<>();
        int differences = 0;
        Map<String, Map<String, Object>> seen = index(reference, keys);
        for (Map.Entry<String, Map<String, Object>> e : seen.entrySet()) {
            Map<String, Object> them = byKey.get(e.getKey());
            if (them == null) {
                differences++;
                note(listed, "row " + e.getKey() + " is missing");
                continue;
            }
            for (Map.Entry<String, Object> col : e.getValue().entrySet()) {
                if (!them.containsKey(col.getKey())) {
                    differences++;
                    note(listed, "column " + col.getKey() + " is missing");
                } else if (!same(col.getValue(), them.get(col.getKey()))) {
                    differences++;
                    note(listed, "row " + e.getKey() + ", " + col.getKey() + ": " + col.getValue() + " vs "
                            + them.get(col.getKey()));
                }
            }
        }
        for (String key : byKey.keySet()) {
            if (!seen.containsKey(key)) {
                differences++;
                note(listed, "row " + key + " is extra");
            }
        }
        if (reference.size() != seen.size() || other.size() != byKey.size()) {
            differences++;
            note(listed, "duplicate keys");
        }
        return new Result(reference.size(), differences, listed);
    }

    private static void note(List<String> listed, String difference) {
        if (listed.size() < LISTED) {
            listed.add(difference);
        }
    }

    private static Map<String, Map<String, Object>> index(List<Map<String, Object>> rows, List<String> keys) {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        for (Map<String, Object> r : rows) {
            StringBuilder key = new StringBuilder();
            for (String k : keys) {
                key.append(k).append('=').append(normal(r.get(k))).append(' ');
            }
            out.put(key.toString().trim(), r);
        }
        return out;
    }

    static boolean same(Object a, Object b) {
        if (a == null || b == null) {
            return a == null && b == null;
        }
        if (a instanceof Double || a instanceof Float || b instanceof Double || b instanceof Float) {
            if (!(a instanceof Number x) || !(b instanceof Number y)) {
                return false;
            }
            double p = x.doubleValue();
            double q = y.doubleValue();
            return Double.compare(p, q) == 0 || Math.abs(p - q) <= RATE_TOLERANCE * Math.max(1.0, Math.abs(p));
        }
        if (a instanceof Number x && b instanceof Number y) {
            return decimal(x).compareTo(decimal(y)) == 0;
        }
        List<?> p = list(a);
        List<?> q = list(b);
        if (p != null || q != null) {
            if (p == null || q == null || p.size() != q.size()) {
                return false;
            }
            for (int i = 0; i < p.size(); i++) {
                if (!same(p.get(i), q.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(normal(a), normal(b));
    }

    /** Spark hands array columns over as Scala sequences, JDBC as {@link java.sql.Array}: both read as one list. */
    private static List<?> list(Object v) {
        if (v instanceof scala.collection.Seq<?> s) {
            return scala.jdk.javaapi.CollectionConverters.asJava(s);
        }
        if (v instanceof java.sql.Array a) {
            try {
                return java.util.Arrays.asList((Object[]) a.getArray());
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("cannot read an array value", e);
            }
        }
        return v instanceof List<?> l ? l : null;
    }

    private static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        return BigDecimal.valueOf(n.longValue());
    }

    /** Dates and numbers as one engine-independent text, for keys and non-numeric values. */
    private static String normal(Object v) {
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        }
        if (v instanceof LocalDate d) {
            return d.toString();
        }
        if (v instanceof Number n && !(v instanceof Double) && !(v instanceof Float)) {
            return decimal(n).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(v);
    }
}
