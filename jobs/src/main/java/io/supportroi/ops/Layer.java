package io.supportroi.ops;

/** The warehouse's layers; each is a folder under the warehouse root and a SQL schema name. */
public enum Layer {
    BRONZE, SILVER, GOLD, OPS;

    public String dir() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
