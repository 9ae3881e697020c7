package io.supportroi.ops;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.TableIdentifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;

/**
 * Makes every table of the warehouse addressable in SQL as {@code layer.table}: a catalog entry pointing at the
 * Delta folder (session-local, or in the Hive metastore when one is configured).
 */
public final class WarehouseCatalog {
    private WarehouseCatalog() {}

    public static List<TableRef> register(Warehouse wh) {
        SparkSession spark = wh.spark();
        List<TableRef> tables = wh.listTables();
        for (Layer layer : Layer.values()) {
            spark.sql("CREATE DATABASE IF NOT EXISTS " + layer.dir());
        }
        for (TableRef t : tables) {
            URI location = qualified(spark, wh.path(t));
            URI registered = registeredLocation(spark, t);
            if (location.equals(registered)) {
                continue;
            }
            // The name points at another warehouse (registered earlier in this session, or a moved warehouse in a
            // metastore): repoint it. Dropping an entry made with LOCATION leaves the files where they are.
            if (registered != null) {
                spark.sql("DROP TABLE IF EXISTS " + t.qualified());
            }
            spark.sql("CREATE TABLE " + t.qualified() + " USING delta LOCATION '"
                    + wh.path(t).replace("'", "\\'") + "'");
        }
        return tables;
    }

    /** Where the catalog's entry for the table points, or null when there is none. */
    private static URI registeredLocation(SparkSession spark, TableRef t) {
        TableIdentifier id = new TableIdentifier(t.name(), scala.Option.apply(t.layer().dir()));
        if (!spark.sessionState().catalog().tableExists(id)) {
            return null;
        }
        try {
            return normalised(spark.sessionState().catalog().getTableMetadata(id).location());
        } catch (Exception e) {
            // Declared by the Scala API (no such database or table): it was there a moment ago, so re-register.
            return null;
        }
    }

    private static URI qualified(SparkSession spark, String path) {
        Path p = new Path(path);
        try {
            return normalised(p.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(p).toUri());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static URI normalised(URI uri) {
        String s = uri.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }
}
