package io.supportroi.ops;

import java.util.concurrent.CountDownLatch;

/**
 * Named points in a run where the fault-injection tests kill the process for real. With
 * {@code SUPPORTROI_FAULT_PAUSE_AT=<point>} in its environment, a run that reaches that point prints
 * {@link #MARKER} and the point's name on standard output and blocks; the test, reading that output, then kills the
 * JVM (SIGKILL) at a moment it knows. Without the variable, which is always outside those tests, a point is one
 * string comparison.
 *
 * <p>Points are {@code ingest-appended:<source>} (a source's records are in bronze, its manifest rows not yet
 * written), {@code silver-merged:<layer.table>} (one silver table MERGEd, the rest and the record of silver's inputs
 * not yet) and {@code gold-published:<layer.table>} (one gold table replaced, the rest not yet).
 */
public final class FaultPoints {
    private FaultPoints() {}

    public static final String ENV = "SUPPORTROI_FAULT_PAUSE_AT";
    public static final String MARKER = "supportroi fault point reached: ";

    private static final String TARGET = System.getenv(ENV);

    public static String ingestAppended(String source) {
        return "ingest-appended:" + source;
    }

    public static String silverMerged(TableRef table) {
        return "silver-merged:" + table.qualified();
    }

    public static String goldPublished(TableRef table) {
        return "gold-published:" + table.qualified();
    }

    public static void reached(String point) {
        if (TARGET == null || !TARGET.equals(point)) {
            return;
        }
        System.out.println(MARKER + point);
        System.out.flush();
        CountDownLatch never = new CountDownLatch(1);
        while (true) {
            try {
                never.await();
            } catch (InterruptedException e) {
                // Only the kill ends this: that is the fault being injected.
            }
        }
    }
}
