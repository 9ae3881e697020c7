package io.supportroi.cli;

import picocli.CommandLine.Option;

/** The warehouse a reading command works on (status, sql, report, notebooks). */
public final class WarehouseOption {
    @Option(names = "--warehouse", paramLabel = "DIR", description = "warehouse folder (default: config / SUPPORTROI_WAREHOUSE)")
    String warehouse;
}
