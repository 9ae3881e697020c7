package io.supportroi.model;

import org.apache.spark.sql.SparkSession;

/**
 * Tests that push a dozen tiny files through every silver table spend most of their time compiling generated code
 * for plans that then process a handful of rows. Interpreted execution is faster there; the setting is put back
 * after the class so other test classes sharing the session see the defaults.
 */
final class TinyData {
    private TinyData() {}

    private static final String WHOLE_STAGE = "spark.sql.codegen.wholeStage";

    static void fastPlans(SparkSession spark) {
        spark.conf().set(WHOLE_STAGE, "false");
    }

    static void restorePlans(SparkSession spark) {
        spark.conf().unset(WHOLE_STAGE);
    }
}
