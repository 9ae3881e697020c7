package io.supportroi.cli;

import io.supportroi.config.Settings;
import picocli.CommandLine.Option;

import java.io.File;

/** Options every pipeline command shares. */
public final class CommonOptions {
    @Option(names = "--conf", paramLabel = "FILE", description = "HOCON file overriding reference.conf (e.g. conf/local.conf)")
    File conf;

    @Option(names = "--quiet", description = "no progress lines, only results and errors")
    boolean quiet;

    Settings settings(String landing, String warehouse) {
        io.supportroi.ops.Progress.setQuiet(quiet);
        return Settings.load(conf, new Settings.Overrides(landing, warehouse));
    }
}
