package io.supportroi.generate;

import io.supportroi.config.Settings;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code supportroi generate}: simulates the business in parallel and writes the landing layout (SPEC §2) plus
 * {@code ground_truth.json} (SPEC §6).
 *
 * <p>Customers are cut into fixed chunks of {@link Business#CHUNK_CUSTOMERS}; one Spark task per chunk simulates its
 * customers and writes the chunk's files itself through the Hadoop FileSystem API, returning only counts and partial
 * sums. The driver writes the small reference files, concatenates the per-chunk claim rows into one CSV by streaming,
 * and writes ground_truth.json last, so a folder with ground_truth.json is a complete output. Same options, same
 * bytes: nothing depends on the number of cores, the order tasks finish in, or the clock.
 */
public final class Generator {
    private Generator() {}

    /** The Zendesk agents' accounts, written by the driver (no chunk owns them). */
    static final String AGENT_USERS_FILE = "users-agents.json";

    /**
     * The agents' emails of a business of this seed and size, in agent order: what an {@code --effects} file names
     * agents by.
     */
    public static java.util.List<String> agentEmails(long seed, int customers) {
        return Business.emails(Business.agents(seed, customers));
    }

    /** Writes the landing layout + ground_truth.json under options.out(); returns what was written. */
    public static GeneratorSummary run(SparkSession spark, GeneratorOptions options) throws IOException {
        return run(spark, options, Settings.defaults().analytics());
    }

    /**
     * As {@link #run(SparkSession, GeneratorOptions)}, with the horizon and speed buckets the pipeline will use, so
     * that the {@code expected} block of ground_truth.json is computed on the same definitions.
     */
    public static GeneratorSummary run(SparkSession spark, GeneratorOptions options,
                                       Settings.AnalyticsSettings analytics) throws IOException {
        return run(spark, options, analytics, Settings.defaults().identity());
    }

    /**
     * As {@link #run(SparkSession, GeneratorOptions, Settings.AnalyticsSettings)}, with the identity settings the
     * pipeline will use: a dirty export adds {@code +tags} to emails only on the domains the pipeline strips them on.
     */
    public static GeneratorSummary run(SparkSession spark, GeneratorOptions options,
                                       Settings.AnalyticsSettings analytics, Settings.IdentitySettings identity)
            throws IOException {
        long started = System.nanoTime();
        Business business = Business.create(options, analytics, identity);
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        try (FileSystem fs = LandingFiles.open(options.out(), hadoop)) {
            Path out = fs.makeQualified(new Path(options.out()));
            LandingFiles.prepare(fs, out);

            List<ChunkResult> results = simulate(spark, business, hadoop, out);
            ChunkResult total = new ChunkResult(-1, business);
            for (ChunkResult r : results) {
                total.merge(r);
            }
            long claims = concatenateClaims(fs, out, results);
            fs.delete(LandingFiles.partsRoot(out), true);

            LandingFiles.writeText(fs, new Path(out, LandingFiles.AGENTS_CSV), ReferenceFiles.agents(business.agents));
            LandingFiles.writeText(fs, new Path(out, LandingFiles.COSTS_CSV), ReferenceFiles.costs(business));
            LandingFiles.writeText(fs, new Path(out, LandingFiles.PRODUCTS_CSV), ReferenceFiles.products());
            if (business.helpdesk.writesZendesk()) {
                LandingFiles.writeText(fs, new Path(new Path(out, LandingFiles.USERS), AGENT_USERS_FILE),
                        agentUsers(business));
            }
            LandingFiles.writeText(fs, new Path(out, LandingFiles.GROUND_TRUTH),
                    GroundTruth.toText(GroundTruth.build(business, total)));

            return summary(out, business, total, claims, (System.nanoTime() - started) / 1_000_000);
        }
    }

    private static List<ChunkResult> simulate(SparkSession spark, Business business, Configuration hadoop, Path out) {
        int chunks = business.chunks();
        String previous = spark.sparkContext().getLocalProperty("spark.job.description");
        spark.sparkContext().setJobDescription("generate " + business.customers + " customers into " + out);
        try {
            // One partition per chunk: tasks stay small and evenly sized whatever the number of cores.
            List<byte[]> collected = spark.range(0, chunks, 1, chunks)
                    .mapPartitions(new ChunkTask(business, new HadoopConf(hadoop), out.toString()), Encoders.BINARY())
                    .collectAsList();
            List<ChunkResult> results = new ArrayList<>(collected.size());
            for (byte[] bytes : collected) {
                results.add(ChunkResult.fromBytes(bytes));
            }
            // Sums of doubles depend on their order: combine in chunk order, not in task completion order.
            results.sort(Comparator.comparingInt(r -> r.chunk));
            if (results.size() != chunks) {
                throw new IllegalStateException("expected " + chunks + " chunk results, got " + results.size());
            }
            return results;
        } finally {
            spark.sparkContext().setJobDescription(previous);
        }
    }

    /** One claims.csv from the chunks' parts, in chunk order, streamed: the rows are never all in memory. */
    private static long concatenateClaims(FileSystem fs, Path out, List<ChunkResult> results) throws IOException {
        long rows = 0;
        for (ChunkResult r : results) {
            rows += r.records[ChunkResult.CLAIMS];
        }
        LandingFiles.write(fs, new Path(out, LandingFiles.CLAIMS_CSV), target -> {
            target.write(ReferenceFiles.CLAIMS_HEADER.getBytes(StandardCharsets.UTF_8));
            for (ChunkResult r : results) {
                if (r.records[ChunkResult.CLAIMS] > 0) {
                    LandingFiles.copy(fs, ChunkWriter.claimPart(out, r.chunk), target);
                }
            }
        });
        return rows;
    }

    private static StringBuilder agentUsers(Business business) {
        StringBuilder sb = new StringBuilder("{\"users\":[");
        // Agent accounts existed before the simulated period began.
        long createdAt = business.startSec - 90 * Times.DAY;
        for (int i = 0; i < business.agents.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            ZendeskJson.agent(new JsonWriter(sb), business.agents[i], createdAt);
        }
        return sb.append("],\"next_page\":null,\"previous_page\":null,\"count\":").append(business.agents.length)
                .append('}');
    }

    private static GeneratorSummary summary(Path out, Business b, ChunkResult total, long claims, long millis) {
        Map<String, Long> files = new LinkedHashMap<>();
        Map<String, Long> records = new LinkedHashMap<>();
        for (int s = 0; s < ChunkResult.SOURCES.length; s++) {
            String source = ChunkResult.SOURCES[s];
            if (s == ChunkResult.CLAIMS) {
                continue;
            }
            boolean agentFile = s == ChunkResult.USERS && b.helpdesk.writesZendesk();
            long extraFiles = agentFile ? 1 : 0;
            long extraRecords = agentFile ? b.agents.length : 0;
            if (total.files[s] + extraFiles == 0) {
                // A format this run does not write (another helpdesk, shop or billing export) is left out.
                continue;
            }
            files.put(source, total.files[s] + extraFiles);
            records.put(source, total.records[s] + extraRecords);
        }
        files.put(LandingFiles.AGENTS_CSV, 1L);
        records.put(LandingFiles.AGENTS_CSV, (long) b.agents.length);
        files.put(LandingFiles.COSTS_CSV, 1L);
        records.put(LandingFiles.COSTS_CSV, 2L * b.calendarMonths);
        files.put(LandingFiles.PRODUCTS_CSV, 1L);
        records.put(LandingFiles.PRODUCTS_CSV, (long) Catalog.all().size());
        files.put(LandingFiles.CLAIMS_CSV, 1L);
        records.put(LandingFiles.CLAIMS_CSV, claims);
        files.put(LandingFiles.GROUND_TRUTH, 1L);
        records.put(LandingFiles.GROUND_TRUTH, 1L);
        return new GeneratorSummary(out.toString(), b.seed, total.customers, total.subscribers, b.start, b.end, files,
                records, millis);
    }
}
