package io.supportroi.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.supportroi.config.Settings;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The whole generator through Spark: files, determinism, ground truth. */
@ExtendWith(SparkTest.class)
class GeneratorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate START = LocalDate.of(2025, 1, 1);
    /** Two chunks (2,500 + 500): chunk boundaries, per-chunk files and the claims concatenation are exercised. */
    private static final int CUSTOMERS = 3000;

    private static GeneratorOptions options(Path out, long seed) {
        return new GeneratorOptions(out.toString(), CUSTOMERS, 12, START, seed, null);
    }

    /** Relative path -> bytes of every file under {@code root}. */
    private static Map<String, byte[]> tree(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    @Test
    void same_seed_gives_identical_bytes_and_another_seed_different_data(SparkSession spark, @TempDir Path dir)
            throws IOException {
        GeneratorSummary first = Generator.run(spark, options(dir.resolve("a"), 42));
        Generator.run(spark, options(dir.resolve("b"), 42));
        Generator.run(spark, options(dir.resolve("c"), 7));
        Map<String, byte[]> a = tree(dir.resolve("a"));
        Map<String, byte[]> b = tree(dir.resolve("b"));
        Map<String, byte[]> c = tree(dir.resolve("c"));

        assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
        for (String name : a.keySet()) {
            assertThat(b.get(name)).as(name).isEqualTo(a.get(name));
        }
        assertThat(new String(c.get("ground_truth.json"), StandardCharsets.UTF_8))
                .isNotEqualTo(new String(a.get("ground_truth.json"), StandardCharsets.UTF_8));
        assertThat(c.get("reference/claims.csv")).isNotEqualTo(a.get("reference/claims.csv"));
        assertThat(c.get("shopify/orders/orders-c00000-p0001.json"))
                .isNotEqualTo(a.get("shopify/orders/orders-c00000-p0001.json"));

        // The summary matches the files on disk.
        assertThat(first.files().get("shopify/orders"))
                .isEqualTo(a.keySet().stream().filter(n -> n.startsWith("shopify/orders/")).count());
        assertThat(first.customers()).isEqualTo(CUSTOMERS);
        assertThat(first.toString()).contains("zendesk/tickets").contains("3,000 customers");
        assertThat(a.keySet()).noneMatch(n -> n.contains("_generator_parts") || n.endsWith(".crc"));
    }

    @Test
    void every_file_is_valid_in_its_source_format_and_consistent_across_sources(SparkSession spark,
                                                                                @TempDir Path dir)
            throws IOException {
        Path out = dir.resolve("landing");
        GeneratorSummary summary = Generator.run(spark, options(out, 42));
        Map<String, byte[]> files = tree(out);
        long tickets = 0;
        long orders = 0;
        long events = 0;
        Set<String> ticketEmailsByUser = new HashSet<>();
        Map<Long, String> userEmails = new TreeMap<>();
        Set<String> shopEmails = new HashSet<>();
        Set<String> stripeEmails = new HashSet<>();
        List<JsonNode> ticketNodes = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            String name = f.getKey();
            String text = new String(f.getValue(), StandardCharsets.UTF_8);
            if (name.startsWith("zendesk/tickets/")) {
                JsonNode page = JSON.readTree(text);
                assertThat(page.get("tickets").size()).isBetween(1, ChunkWriter.TICKETS_PER_PAGE);
                assertThat(page.get("count").asInt()).isEqualTo(page.get("tickets").size());
                assertThat(page.has("end_time")).isTrue();
                page.get("tickets").forEach(ticketNodes::add);
                tickets += page.get("tickets").size();
            } else if (name.startsWith("zendesk/users/")) {
                for (JsonNode u : JSON.readTree(text).get("users")) {
                    userEmails.put(u.get("id").asLong(), u.get("email").asText());
                }
            } else if (name.startsWith("zendesk/ticket_metrics/")) {
                assertThat(JSON.readTree(text).get("ticket_metrics").size()).isPositive();
            } else if (name.startsWith("shopify/orders/")) {
                JsonNode page = JSON.readTree(text);
                assertThat(page.get("orders").size()).isBetween(1, ChunkWriter.ORDERS_PER_PAGE);
                for (JsonNode o : page.get("orders")) {
                    assertThat(o.get("created_at").asText()).matches(".*-0[45]:00");
                    assertThat(o.get("email").asText()).isEqualTo(o.at("/customer/email").asText());
                    shopEmails.add(o.get("email").asText());
                    orders++;
                }
            } else if (name.startsWith("stripe/events/")) {
                long previous = Long.MIN_VALUE;
                for (String line : text.split("\n")) {
                    JsonNode e = JSON.readTree(line);
                    assertThat(e.get("created").asLong()).isGreaterThanOrEqualTo(previous);
                    previous = e.get("created").asLong();
                    if (e.get("type").asText().equals("customer.created")) {
                        stripeEmails.add(e.at("/data/object/email").asText());
                    }
                    events++;
                }
            }
        }
        assertThat(tickets).isEqualTo(summary.records().get("zendesk/tickets"));
        assertThat(orders).isEqualTo(summary.records().get("shopify/orders"));
        assertThat(events).isEqualTo(summary.records().get("stripe/events"));
        for (JsonNode t : ticketNodes) {
            ticketEmailsByUser.add(userEmails.get(t.get("requester_id").asLong()));
        }
        // Every requester is a Zendesk user; the same clean email is used by every source.
        assertThat(ticketEmailsByUser).doesNotContainNull();
        assertThat(shopEmails).containsAll(stripeEmails).containsAll(ticketEmailsByUser);
        assertThat(shopEmails).allMatch(e -> e.equals(e.toLowerCase()) && e.matches("[a-z]+\\.[a-z]+\\d+@[a-z.]+"));

        String claims = new String(files.get("reference/claims.csv"), StandardCharsets.UTF_8);
        assertThat(claims).startsWith(ReferenceFiles.CLAIMS_HEADER);
        assertThat(claims.lines().count() - 1).isEqualTo(summary.records().get("reference/claims.csv")).isPositive();
        assertThat(new String(files.get("reference/agents.csv"), StandardCharsets.UTF_8))
                .startsWith("agent_email,agent_name,team,monthly_cost,discount_code\n");
        assertThat(new String(files.get("reference/costs.csv"), StandardCharsets.UTF_8))
                .startsWith("month,item,amount\n2025-01,helpdesk_platform,");
        assertThat(new String(files.get("reference/products.csv"), StandardCharsets.UTF_8))
                .startsWith("sku,unit_cost\nBOX-MONTHLY,");

        JsonNode truth = JSON.readTree(files.get("ground_truth.json"));
        assertThat(truth.get("seed").asLong()).isEqualTo(42);
        assertThat(truth.get("customers").asInt()).isEqualTo(CUSTOMERS);
        assertThat(truth.get("months").asInt()).isEqualTo(12);
        assertThat(truth.get("start").asText()).isEqualTo("2025-01-01");
        assertThat(truth.get("end").asText()).isEqualTo("2025-12-31");
        assertThat(truth.at("/effects/agents").size()).isEqualTo(Business.agentCount(CUSTOMERS));
        assertThat(truth.at("/counts/tickets").asLong()).isEqualTo(tickets);
        assertThat(truth.at("/counts/orders").asLong()).isEqualTo(orders);
        assertThat(truth.at("/counts/stripe_events").asLong()).isEqualTo(events);
        assertThat(truth.at("/expected/as_of").asText()).isEqualTo("2025-12-31");
        assertThat(truth.at("/expected/retention_horizon_days").asInt()).isEqualTo(90);
    }

    @Test
    void expected_retention_falls_with_resolution_time_and_matches_the_realised_outcomes(SparkSession spark,
                                                                                        @TempDir Path dir)
            throws IOException {
        Generator.run(spark, options(dir.resolve("landing"), 42));
        JsonNode rows = JSON.readTree(dir.resolve("landing/ground_truth.json").toFile())
                .at("/expected/resolution_time_vs_retention");
        assertThat(rows.size()).isEqualTo(10);

        // Realised retention from the core's own events (not the files), per metric and bucket.
        Business b = TestBusinesses.business(CUSTOMERS, 12, 42, null);
        ExpectedRetention buckets = new ExpectedRetention(b.bucketBoundsHours);
        long[][] n = new long[2][buckets.buckets()];
        long[][] retained = new long[2][buckets.buckets()];
        CustomerSimulator sim = new CustomerSimulator(b);
        for (int i = 0; i < CUSTOMERS; i++) {
            CustomerHistory h = sim.simulate(i);
            for (SimTicket t : h.tickets) {
                if (!ExpectedRetention.uncensored(t, b)) {
                    continue;
                }
                boolean kept = TestBusinesses.retainedBySpec(h, t, b.horizonSec, true);
                int[] bucketOf = {buckets.bucket(ExpectedRetention.resolutionHours(t)),
                        buckets.bucket(ExpectedRetention.firstResponseHours(t))};
                for (int m = 0; m < 2; m++) {
                    n[m][bucketOf[m]]++;
                    retained[m][bucketOf[m]] += kept ? 1 : 0;
                }
            }
        }

        double[] resolution = new double[buckets.buckets()];
        for (JsonNode row : rows) {
            int m = row.get("metric").asText().equals("resolution_time") ? 0 : 1;
            int bucket = row.get("bucket_order").asInt();
            long tickets = row.get("tickets").asLong();
            double expected = row.get("expected_retention").asDouble();
            assertThat(tickets).as(row.toString()).isPositive().isEqualTo(n[m][bucket]);
            assertThat(row.get("customers").asLong()).isPositive().isLessThanOrEqualTo(tickets);
            assertThat(row.get("lower_hours").asDouble()).isEqualTo(bucket == 0 ? 0.0 : b.bucketBoundsHours[bucket - 1]);
            if (bucket == buckets.buckets() - 1) {
                assertThat(row.get("upper_hours").isNull()).isTrue();
            }
            double realised = (double) retained[m][bucket] / tickets;
            double se = Math.sqrt(expected * (1 - expected) / tickets);
            assertThat(Math.abs(realised - expected)).as(row + " realised " + realised)
                    .isLessThanOrEqualTo(4 * se);
            if (m == 0) {
                resolution[bucket] = expected;
            }
        }
        for (int i = 1; i <= 3; i++) {
            assertThat(resolution[i]).as("bucket %d below bucket %d", i, i - 1).isLessThan(resolution[i - 1]);
        }
    }

    @Test
    void a_foreign_folder_is_refused_and_a_previous_output_is_replaced_without_stale_files(SparkSession spark,
                                                                                         @TempDir Path dir)
            throws IOException {
        Path foreign = dir.resolve("foreign");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> Generator.run(spark, options(foreign, 42)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not empty")
                .hasMessageContaining("ground_truth.json");
        assertThat(Files.readString(foreign.resolve("notes.txt"))).isEqualTo("mine");

        Path out = dir.resolve("landing");
        Generator.run(spark, new GeneratorOptions(out.toString(), CUSTOMERS, 12, START, 42, null));
        Path stale = out.resolve("zendesk/tickets/tickets-c00099-p0001.json");
        Files.writeString(stale, "{}");
        Path gorgias = out.resolve("gorgias/tickets/page-1.json");
        Files.createDirectories(gorgias.getParent());
        Files.writeString(gorgias, "{\"data\":[]}");
        Generator.run(spark, new GeneratorOptions(out.toString(), 1000, 12, START, 42, null));
        assertThat(stale).doesNotExist();
        assertThat(out.resolve("shopify/orders/orders-c00001-p0001.json")).doesNotExist();
        assertThat(gorgias).exists();
        assertThat(JSON.readTree(out.resolve("ground_truth.json").toFile()).get("customers").asInt()).isEqualTo(1000);

        // A run that died half-way left no ground_truth.json but its in-progress marker: replaced, not refused.
        Path interrupted = dir.resolve("interrupted");
        Files.createDirectories(interrupted.resolve("_generator_parts"));
        Files.writeString(interrupted.resolve("_generator_parts/IN_PROGRESS"), "");
        Path partial = interrupted.resolve("stripe/events/events-c00042-p0001.jsonl");
        Files.createDirectories(partial.getParent());
        Files.writeString(partial, "{}\n");
        Generator.run(spark, new GeneratorOptions(interrupted.toString(), 100, 12, START, 42, null));
        assertThat(partial).doesNotExist();
        assertThat(interrupted.resolve("_generator_parts")).doesNotExist();
        assertThat(interrupted.resolve("ground_truth.json")).exists();
    }

    @Test
    void an_invalid_effects_file_is_refused_before_anything_is_written(SparkSession spark, @TempDir Path dir)
            throws IOException {
        Path effects = dir.resolve("effects.json");
        Files.writeString(effects, "{\"upsell_conversion_rate\": -0.1}");
        Path out = dir.resolve("landing");
        assertThatThrownBy(() -> Generator.run(spark,
                new GeneratorOptions(out.toString(), 100, 3, START, 1, effects.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("upsell_conversion_rate");
        assertThat(out).doesNotExist();

        Files.writeString(effects, "{\"support_recovery_rate\": 0.35}");
        Generator.run(spark, new GeneratorOptions(out.toString(), 100, 3, START, 1, effects.toString()));
        JsonNode planted = JSON.readTree(out.resolve("ground_truth.json").toFile()).get("effects");
        assertThat(planted.get("support_recovery_rate").asDouble()).isEqualTo(0.35);
        assertThat(planted.get("dunning_recovery_rate").asDouble()).isEqualTo(0.6);
        // A short period: every ticket window is censored, the expected block says so with empty buckets.
        JsonNode first = JSON.readTree(out.resolve("ground_truth.json").toFile())
                .at("/expected/resolution_time_vs_retention/0");
        assertThat(first.get("tickets").asLong()).isZero();
        assertThat(first.get("expected_retention").isNull()).isTrue();
    }

    @Test
    void options_are_checked(@TempDir Path dir) {
        assertThatThrownBy(() -> new GeneratorOptions(dir.toString(), 0, 12, START, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--customers");
        assertThatThrownBy(() -> new GeneratorOptions(dir.toString(), 10, 0, START, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--months");
        assertThatThrownBy(() -> new GeneratorOptions(" ", 10, 1, START, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--out");
        assertThat(new GeneratorOptions(dir.toString(), 10, 12, START, 1, null).end())
                .isEqualTo(LocalDate.of(2025, 12, 31));
        assertThat(Settings.defaults().analytics().retentionHorizonDays()).isEqualTo(90);
    }
}
