package io.supportroi.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark's options as parsed, and the combinations refused before any work starts. */
class BenchOptionsTest {
    @Test
    void incrementalRunsAreOnUnlessTurnedOff() {
        BenchCommand byDefault = new BenchCommand();
        new CommandLine(byDefault).parseArgs();
        assertThat(byDefault.noIncremental).isFalse();
        assertThat(byDefault.fullRuns).isNull();

        BenchCommand off = new BenchCommand();
        new CommandLine(off).parseArgs("--no-incremental", "--full-runs", "2");
        assertThat(off.noIncremental).isTrue();
        assertThat(off.fullRuns).isEqualTo(2);
    }

    @Test
    void nothingToTimeIsABadArgument() {
        assertThat(Main.execute("bench", "--full-runs", "0", "--no-incremental"))
                .isEqualTo(Main.BAD_ARGUMENTS);
        assertThat(Main.execute("bench", "--full-runs", "-1")).isEqualTo(Main.BAD_ARGUMENTS);
        assertThat(Main.execute("bench", "--runs", "0")).isEqualTo(Main.BAD_ARGUMENTS);
    }
}
