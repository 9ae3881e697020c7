package io.supportroi.ops;

import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

import java.util.List;

/** Java lists to the Scala sequences a few Dataset methods (join on column names) take. */
public final class Seqs {
    private Seqs() {}

    public static Seq<String> of(String... names) {
        return CollectionConverters.asScala(List.of(names)).toList();
    }
}
