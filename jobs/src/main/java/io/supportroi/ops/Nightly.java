package io.supportroi.ops;

import io.supportroi.analytics.GoldBuild;
import io.supportroi.config.Settings;
import io.supportroi.ingest.BronzeIngest;
import io.supportroi.model.SilverBuild;
import io.supportroi.model.Unmatched;
import org.apache.spark.sql.SparkSession;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The nightly run: new landing files to bronze, bronze to silver, silver to gold, and a row in {@code ops.runs}
 * whatever happens. Every stage is a no-op when its input did not change, so re-running a night changes nothing.
 */
public final class Nightly {
    private Nightly() {}

    public record Summary(String runId, LocalDate asOf, String status, long filesIngested,
                          List<Runs.TableCount> counts, List<Unmatched.Count> unmatched, long seconds) {
        public long read() {
            return counts.stream().mapToLong(Runs.TableCount::read).sum();
        }

        public long quarantined() {
            return counts.stream().mapToLong(Runs.TableCount::quarantined).sum();
        }

        public long written() {
            return counts.stream().mapToLong(Runs.TableCount::written).sum();
        }
    }

    public static Summary run(SparkSession spark, Settings settings, LocalDate asOf) {
        Warehouse wh = new Warehouse(spark, settings.warehouse());
        Instant start = Instant.now();
        String runId = newRunId(start);
        List<Runs.TableCount> counts = new ArrayList<>();
        List<Unmatched.Count> unmatched = new ArrayList<>();
        long files = 0;
        LocalDate effectiveAsOf = asOf;
        Progress.line("nightly", "run %s: landing %s -> warehouse %s", runId, settings.landing(), settings.warehouse());
        try {
            List<BronzeIngest.SourceResult> ingested = BronzeIngest.run(wh, settings.landing(), runId,
                    Timestamp.from(start), settings.ingest().maxFileBytes());
            for (BronzeIngest.SourceResult r : ingested) {
                files += r.files();
                counts.add(new Runs.TableCount(r.source().bronze().qualified(), r.read(), r.written(), r.quarantined()));
            }
            Progress.line("ingest", "%d new file(s)", files);

            // A warehouse from an older version may lack tables added since: build them even without new files.
            if (files > 0 || SilverBuild.anyMissing(wh)) {
                SilverBuild.Result silver = SilverBuild.build(wh, settings, runId);
                for (SilverBuild.TableResult r : silver.tables()) {
                    counts.add(new Runs.TableCount(r.table().qualified(), r.rows(), r.changed(), 0));
                }
                unmatched.addAll(silver.unmatched());
            } else {
                Progress.line("silver", "no new files: silver unchanged");
            }

            GoldBuild.Result gold = GoldBuild.run(wh, settings, asOf, runId);
            effectiveAsOf = gold.asOf();
            for (GoldBuild.TableResult r : gold.tables()) {
                counts.add(new Runs.TableCount(r.table().qualified(), r.rows(), r.written() ? r.rows() : 0, 0));
            }
            return finish(wh, runId, effectiveAsOf, start, Runs.SUCCEEDED, null, files, counts, unmatched);
        } catch (RuntimeException e) {
            try {
                finish(wh, runId, effectiveAsOf, start, Runs.FAILED, String.valueOf(e.getMessage()), files, counts,
                        unmatched);
            } catch (RuntimeException ledgerFailure) {
                e.addSuppressed(ledgerFailure);
            }
            throw e;
        }
    }

    private static Summary finish(Warehouse wh, String runId, LocalDate asOf, Instant start, String status,
                                  String error, long files, List<Runs.TableCount> counts,
                                  List<Unmatched.Count> unmatched) {
        Instant end = Instant.now();
        var row = Runs.row(runId, "nightly", asOf, Timestamp.from(start), Timestamp.from(end), status, error, files,
                counts, unmatched);
        wh.append(Runs.TABLE, wh.spark().createDataFrame(List.of(row), Runs.SCHEMA), runId);
        return new Summary(runId, asOf, status, files, counts, unmatched, end.getEpochSecond() - start.getEpochSecond());
    }

    static String newRunId(Instant start) {
        return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(start)
                + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
