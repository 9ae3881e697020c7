package io.supportroi.cli;

import picocli.CommandLine.Option;

/** The warehouse a reading command works on (status, sql, report, notebooks, register). */
public final class WarehouseOption {
    @Option(names = "--warehouse", paramLabel = "DIR", description = "warehouse folder (default: config / SUPPORTROI_WAREHOUSE)")
    String warehouse;

    /** A reading command's warehouse must exist: an empty one made here would only hide a mistyped path. */
    static void checkExists(String path) {
        Folders.existing("warehouse", path);
    }
}
