package io.supportroi.cli;

import io.supportroi.config.Settings;
import io.supportroi.ops.Progress;
import picocli.CommandLine.Option;

import java.io.File;

/** Options every pipeline command shares. */
public final class CommonOptions {
    @Option(names = "--conf", paramLabel = "FILE", description = "HOCON file overriding reference.conf (e.g. conf/local.conf)")
    File conf;

    @Option(names = "--quiet", description = "no progress lines, only results and errors")
    boolean quiet;

    /** The settings, or a UsageException naming the file and key that are wrong. */
    Settings settings(String landing, String warehouse) {
        Progress.setQuiet(quiet);
        try {
            return Settings.load(conf, new Settings.Overrides(landing, warehouse));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }
}
