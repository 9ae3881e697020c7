package io.supportroi.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak memory of a stage: the JVM heap in use (the sum of the heap pools' peaks) and the process's resident set,
 * which also counts what lives outside the heap (DuckDB, Netty, memory-mapped files). Local mode runs the executors
 * in this process, so this is the whole pipeline's memory.
 */
public final class MemoryMeter {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    /**
     * @param heapMb the heap pools' peak use since the last reset; it counts garbage not yet collected, so it says how
     *               much heap the stage touched, an upper bound of what it needs
     * @param rssMb  the process's peak resident set; since the last reset where the kernel allows resetting it,
     *               else since the process started
     */
    public record Peak(long heapMb, Long rssMb) {}

    /** Starts a new measurement: the peaks so far are forgotten (the resident peak only where Linux allows it). */
    public void reset() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                pool.resetPeakUsage();
            }
        }
        try {
            // "5" resets the peak resident set size (Linux 4.0 and later).
            Files.writeString(CLEAR_REFS, "5");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // Not Linux, or not allowed: the resident peak then covers the process's life so far.
        }
    }

    public Peak peak() {
        long heap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid() && pool.getPeakUsage() != null) {
                heap += pool.getPeakUsage().getUsed();
            }
        }
        return new Peak(heap >> 20, residentPeakMb());
    }

    private static Long residentPeakMb() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return null;
        }
        return null;
    }
}
