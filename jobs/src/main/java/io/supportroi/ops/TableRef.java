package io.supportroi.ops;

/** A warehouse table: layer plus name, addressed in SQL as {@code layer.name}. */
public record TableRef(Layer layer, String name) {
    public static TableRef bronze(String name) {
        return new TableRef(Layer.BRONZE, name);
    }

    public static TableRef silver(String name) {
        return new TableRef(Layer.SILVER, name);
    }

    public static TableRef gold(String name) {
        return new TableRef(Layer.GOLD, name);
    }

    public static TableRef ops(String name) {
        return new TableRef(Layer.OPS, name);
    }

    public String qualified() {
        return layer.dir() + "." + name;
    }

    @Override
    public String toString() {
        return qualified();
    }
}
