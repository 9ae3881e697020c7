package io.supportroi.generate;

import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link Generator#run} wrote: files and records per source (keys are landing paths such as
 * {@code zendesk/tickets} or {@code reference/claims.csv}), the simulated period, and how long it took.
 */
public record GeneratorSummary(
        String out,
        long seed,
        long customers,
        long subscribers,
        LocalDate start,
        LocalDate end,
        Map<String, Long> files,
        Map<String, Long> records,
        long elapsedMillis) {

    public GeneratorSummary {
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
        records = Collections.unmodifiableMap(new LinkedHashMap<>(records));
    }

    public long totalFiles() {
        return files.values().stream().mapToLong(Long::longValue).sum();
    }

    public long totalRecords() {
        return records.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "generated %,d customers (%,d subscribers), %s .. %s, seed %d, into %s%n",
                customers, subscribers, start, end, seed, out));
        for (Map.Entry<String, Long> e : files.entrySet()) {
            sb.append(String.format(Locale.ROOT, "  %-30s %,7d files %,12d records%n", e.getKey(), e.getValue(),
                    records.getOrDefault(e.getKey(), 0L)));
        }
        sb.append(String.format(Locale.ROOT, "  %-30s %,7d files %,12d records in %.1f s", "total", totalFiles(),
                totalRecords(), elapsedMillis / 1000.0));
        return sb.toString();
    }
}
