package io.supportroi.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.supportroi.config.Settings;
import io.supportroi.ingest.LandingSource;
import io.supportroi.ingest.RecordSplitter;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pieces of --dirty and of the Gorgias output that need no Spark. */
class DirtTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Set<String> PLUS_TAG_DOMAINS = Set.copyOf(Settings.defaults().identity().plusTagDomains());
    private static final Settings.ChannelSettings CHANNELS = Settings.defaults().channels();

    /** SPEC §3's email normalisation with the default identity settings: what the pipeline will do. */
    static String normalisedEmail(String email) {
        String e = email.strip().toLowerCase(java.util.Locale.ROOT);
        int at = e.indexOf('@');
        if (at > 0 && PLUS_TAG_DOMAINS.contains(e.substring(at + 1))) {
            int plus = e.indexOf('+');
            if (plus >= 0 && plus < at) {
                e = e.substring(0, plus) + e.substring(at);
            }
        }
        return e;
    }

    /** The default channel mapping of reference.conf applied the way the pipeline applies it (exact, then prefix). */
    static String normalisedChannel(String channel) {
        Settings.ChannelSettings s = CHANNELS;
        String c = channel.strip().toLowerCase(java.util.Locale.ROOT);
        if (s.mapping().containsKey(c)) {
            return s.mapping().get(c);
        }
        for (Map.Entry<String, String> e : s.prefixes().entrySet()) {
            if (c.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return "other";
    }

    @Test
    void dirty_emails_normalise_back_and_plus_tags_only_go_where_the_pipeline_strips_them() {
        Dirt dirt = new Dirt(TestBusinesses.business(100, 12, 3, null), 0);
        Set<String> kinds = new HashSet<>();
        for (String clean : List.of("olivia.smith12@gmail.com", "liam.brown7@comcast.net")) {
            boolean plusDomain = clean.endsWith("@gmail.com");
            for (int i = 0; i < 4000; i++) {
                String written = dirt.email(clean);
                assertThat(normalisedEmail(written)).isEqualTo(clean);
                if (!written.equals(clean)) {
                    if (written.contains("+")) {
                        assertThat(plusDomain).as(written).isTrue();
                        kinds.add("plus");
                    } else if (!written.equals(written.strip())) {
                        assertThat(written.strip()).isEqualTo(clean);
                        kinds.add("space");
                    } else {
                        assertThat(written.toLowerCase(java.util.Locale.ROOT)).isEqualTo(clean);
                        kinds.add("case");
                    }
                }
            }
        }
        assertThat(kinds).containsExactlyInAnyOrder("plus", "space", "case");
        assertThat(dirt.repairs[Dirt.Repair.PLUS_TAG_EMAILS.ordinal()]).isPositive();
        assertThat(Dirt.capitalised("olivia.smith12@gmail.com")).isEqualTo("Olivia.Smith12@Gmail.Com");
    }

    @Test
    void an_unescaped_quote_breaks_only_its_own_record_of_a_page() throws Exception {
        String good = "{\"id\":1,\"subject\":\"Where is my order?\",\"tags\":[\"a\"]}";
        String broken = Junk.unescapedQuote("{\"id\":2,\"subject\":\"Can I skip or change my box?\",\"x\":{\"y\":1}}",
                "subject");
        assertThat(broken).isEqualTo("{\"id\":2,\"subject\":\"Re: \"Can I skip or change my box?\"\",\"x\":{\"y\":1}}");
        assertThatThrownBy(() -> JSON.readTree(broken)).isInstanceOf(Exception.class);
        List<RecordSplitter.RawRecord> recs = RecordSplitter.jsonPage(
                "{\"tickets\":[" + good + "," + broken + "," + good + "],\"count\":3}", "tickets");
        assertThat(recs).extracting(RecordSplitter.RawRecord::index).containsExactly(0L, 1L, 2L);
        assertThat(recs).extracting(RecordSplitter.RawRecord::raw).containsExactly(good, broken, good);
        assertThat(recs).allMatch(r -> r.error() == null);
    }

    @Test
    void options_keep_the_six_argument_form_and_parse_the_helpdesk() {
        GeneratorOptions six = new GeneratorOptions("out", 10, 12, LocalDate.of(2025, 1, 1), 1, null);
        assertThat(six.helpdesk()).isEqualTo(GeneratorOptions.Helpdesk.ZENDESK);
        assertThat(six.dirty()).isFalse();
        assertThat(six.helpdeskSwitchDate()).isEqualTo(LocalDate.of(2025, 7, 2));
        assertThat(new GeneratorOptions("out", 10, 1, LocalDate.of(2025, 2, 1), 1, null).helpdeskSwitchDate())
                .isEqualTo(LocalDate.of(2025, 2, 15));
        assertThat(GeneratorOptions.Helpdesk.parse(" Gorgias")).isEqualTo(GeneratorOptions.Helpdesk.GORGIAS);
        assertThat(GeneratorOptions.Helpdesk.parse("both")).isEqualTo(GeneratorOptions.Helpdesk.BOTH);
        assertThatThrownBy(() -> GeneratorOptions.Helpdesk.parse("freshdesk"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zendesk, gorgias, both, csv").hasMessageContaining("freshdesk");
        GeneratorOptions nulls = new GeneratorOptions("out", 10, 12, LocalDate.of(2025, 1, 1), 1, null, null, null,
                null, true);
        assertThat(nulls.helpdesk()).isEqualTo(GeneratorOptions.Helpdesk.ZENDESK);
        assertThat(nulls.shop()).isEqualTo(GeneratorOptions.Shop.SHOPIFY);
        assertThat(nulls.billing()).isEqualTo(GeneratorOptions.Billing.STRIPE);
        assertThat(GeneratorOptions.Shop.parse("CSV")).isEqualTo(GeneratorOptions.Shop.CSV);
        assertThat(GeneratorOptions.Billing.parse("stripe")).isEqualTo(GeneratorOptions.Billing.STRIPE);
        assertThatThrownBy(() -> GeneratorOptions.Billing.parse("chargebee"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--billing must be one of stripe, csv");
    }

    @Test
    void source_names_and_folders_are_the_ingests() {
        Map<String, String> dirs = Map.of(
                Sources.ZENDESK_TICKETS, LandingFiles.TICKETS,
                Sources.ZENDESK_TICKET_METRICS, LandingFiles.TICKET_METRICS,
                Sources.ZENDESK_USERS, LandingFiles.USERS,
                Sources.GORGIAS_TICKETS, LandingFiles.GORGIAS_TICKETS,
                Sources.GORGIAS_SURVEYS, LandingFiles.GORGIAS_SURVEYS,
                Sources.SHOPIFY_ORDERS, LandingFiles.ORDERS,
                Sources.STRIPE_EVENTS, LandingFiles.STRIPE_EVENTS,
                Sources.CSV_TICKETS, LandingFiles.CSV_TICKETS,
                Sources.CSV_ORDERS, LandingFiles.CSV_ORDERS,
                Sources.CSV_BILLING, LandingFiles.CSV_BILLING);
        assertThat(dirs.keySet()).containsExactlyInAnyOrder(Sources.ALL);
        for (Map.Entry<String, String> e : dirs.entrySet()) {
            LandingSource source = java.util.Arrays.stream(LandingSource.values())
                    .filter(s -> s.sourceName().equals(e.getKey())).findFirst()
                    .orElseThrow(() -> new AssertionError("the ingest has no source " + e.getKey()));
            assertThat(source.dir()).isEqualTo(e.getValue());
        }
    }

    @Test
    void gorgias_and_csv_channels_normalise_like_the_zendesk_ones_under_the_default_mapping() {
        assertThat(GorgiasJson.CHANNEL).hasSameSizeAs(Channels.RAW);
        assertThat(CsvExports.CHANNEL).hasSameSizeAs(Channels.RAW);
        for (int c = 0; c < Channels.RAW.length; c++) {
            assertThat(normalisedChannel(Channels.RAW[c])).isEqualTo(Channels.NORMALISED[c]);
            assertThat(normalisedChannel(GorgiasJson.CHANNEL[c])).as(GorgiasJson.CHANNEL[c])
                    .isEqualTo(Channels.NORMALISED[c]);
            assertThat(normalisedChannel(CsvExports.CHANNEL[c])).as(CsvExports.CHANNEL[c])
                    .isEqualTo(Channels.NORMALISED[c]);
        }
    }

    @Test
    void broken_csv_rows_keep_the_file_readable_and_break_only_themselves() {
        Dirt dirt = new Dirt(TestBusinesses.business(100, 12, 3, null), 2);
        String header = CsvExports.BILLING_HEADER;
        String subscription = "SUB-5,BC-5,jane.doe5@gmail.com,Jane Doe,2025-01-15T10:00:00Z,,,,,,,,";
        Junk.Built wide = Junk.buildCsvRow(Sources.CSV_BILLING,
                new Junk.Spec(Dirt.Defect.WRONG_CELL_COUNT, "customer_name"), header, subscription, dirt);
        Junk.Built bounced = Junk.buildCsvRow(Sources.CSV_BILLING,
                new Junk.Spec(Dirt.Defect.FAILED_CHECK, "outcome"), header, subscription, dirt);
        String file = header + "\n" + subscription + "\n" + wide.text() + "\n" + bounced.text() + "\n" + subscription
                + "\n";
        List<RecordSplitter.RawRecord> recs = RecordSplitter.csv(file);
        assertThat(recs).extracting(RecordSplitter.RawRecord::index).containsExactly(0L, 1L, 2L, 3L);
        assertThat(recs).extracting(RecordSplitter.RawRecord::line).containsExactly(2L, 3L, 4L, 5L);
        assertThat(recs.get(1).error()).contains("fields");
        assertThat(recs.get(1).raw()).contains("Doe, Jane");
        assertThat(recs.get(2).error()).isNull();
        assertThat(recs.get(2).raw()).contains("\"outcome\":\"bounced\"").contains("\"subscription_id\":\"SUB-X2-1\"");
        assertThat(bounced.id()).isEqualTo("SUB-X2-1");
        assertThat(recs.get(3).error()).isNull();
        assertThat(Junk.csvCells("a,\"b, \"\"c\"\"\",,d")).containsExactly("a", "b, \"c\"", "", "d");
    }

    @Test
    void broken_records_carry_junk_ids_and_exactly_their_defect() throws Exception {
        Dirt dirt = new Dirt(TestBusinesses.business(100, 12, 3, null), 7);
        String order = "{\"id\":5000000000123,\"name\":\"#1123\",\"created_at\":\"2025-03-14T06:15:00-04:00\","
                + "\"line_items\":[{\"id\":50000000001230,\"price\":\"39.00\"}],\"refunds\":[]}";
        JsonNode missing = JSON.readTree(Junk.build(Sources.SHOPIFY_ORDERS,
                new Junk.Spec(Dirt.Defect.MISSING_REQUIRED_FIELD, "id"), order, dirt, false).text());
        assertThat(missing.has("id")).isFalse();
        Junk.Built late = Junk.build(Sources.SHOPIFY_ORDERS,
                new Junk.Spec(Dirt.Defect.UNPARSEABLE_TIMESTAMP, "created_at"), order, dirt, false);
        JsonNode lateNode = JSON.readTree(late.text());
        assertThat(lateNode.get("created_at").asText()).isEqualTo("03/14/2025 10:15 AM");
        assertThat(late.id()).isEqualTo(Long.toString(Ids.JUNK_SHOPIFY_ORDER_BASE + 7 * Ids.JUNK_PER_CHUNK + 1));
        assertThat(lateNode.at("/line_items/0/id").asLong()).isEqualTo(Long.parseLong(late.id()) * 10);

        String event = "{\"id\":\"evt_R0000000001E0001\",\"type\":\"invoice.paid\",\"created\":1736000000,"
                + "\"data\":{\"object\":{\"id\":\"in_1\"}}}";
        Junk.Built noObject = Junk.build(Sources.STRIPE_EVENTS,
                new Junk.Spec(Dirt.Defect.MISSING_REQUIRED_FIELD, "data.object"), event, dirt, true);
        assertThat(JSON.readTree(noObject.text()).get("data").isEmpty()).isTrue();
        assertThat(noObject.id()).isEqualTo("evt_X000007J0000");
        Junk.Built cut = Junk.build(Sources.STRIPE_EVENTS, new Junk.Spec(Dirt.Defect.MALFORMED_JSON, null), event,
                dirt, true);
        assertThat(cut.text()).doesNotContain("\n");
        assertThatThrownBy(() -> JSON.readTree(cut.text())).isInstanceOf(Exception.class);
    }
}
