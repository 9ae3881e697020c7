package io.supportroi.ops;

import java.util.List;

/**
 * Makes every table of the warehouse addressable in SQL as {@code layer.table}: a session-local catalog entry
 * pointing at the Delta folder, so nothing is registered outside this process.
 */
public final class WarehouseCatalog {
    private WarehouseCatalog() {}

    public static List<TableRef> register(Warehouse wh) {
        List<TableRef> tables = wh.listTables();
        for (Layer layer : Layer.values()) {
            wh.spark().sql("CREATE DATABASE IF NOT EXISTS " + layer.dir());
        }
        for (TableRef t : tables) {
            wh.spark().sql("CREATE TABLE IF NOT EXISTS " + t.qualified() + " USING delta LOCATION '"
                    + wh.path(t).replace("'", "\\'") + "'");
        }
        return tables;
    }
}
