package io.supportroi.cli;

import io.supportroi.config.Settings;
import picocli.CommandLine.Option;

import java.time.Duration;

/** Options of the commands that run the pipeline on a warehouse (nightly, backfill). */
public final class RunOptions {
    @Option(names = "--landing", paramLabel = "DIR", description = "landing folder (default: config / SUPPORTROI_LANDING)")
    String landing;

    @Option(names = "--warehouse", paramLabel = "DIR", description = "warehouse folder (default: config / SUPPORTROI_WAREHOUSE)")
    String warehouse;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "0",
            description = "when another run holds the warehouse, wait this long for it before giving up with exit "
                    + "code 4 (default 0: give up at once)")
    long waitSeconds;

    Duration lockWait() {
        Arguments.notNegative("--wait", waitSeconds);
        return Duration.ofSeconds(waitSeconds);
    }

    /** The landing folder must be there to read; the warehouse is made if missing and must take files. */
    static void checkFolders(Settings settings) {
        Folders.existing("landing", settings.landing());
        Folders.writable("warehouse", settings.warehouse());
    }
}
