package io.supportroi.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EffectsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> AGENTS = List.of("a@x.com", "b@x.com", "c@x.com");

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static Effects resolve(String override) throws Exception {
        return Effects.resolve(AGENTS, 1, override == null ? null : json(override));
    }

    @Test
    void defaults_plant_the_documented_effects() throws Exception {
        Effects e = resolve(null);
        assertThat(e.bands()).extracting(Effects.Band::retention).containsExactly(0.88, 0.88, 0.88, 0.74, 0.74);
        assertThat(e.bands().get(4).upperHours()).isNull();
        assertThat(e.bands().get(2).upperHours()).isEqualTo(24.0);
        assertThat(e.kneeHours()).isEqualTo(24.0);
        assertThat(e.channelRetention()).containsOnlyKeys(Effects.CHANNELS);
        // The best seller (index 1 here) and the agent after it churn 2.5 times as much; the next one (wrapping)
        // gets the hard tickets.
        assertThat(e.agents()).extracting(Effects.AgentEffect::bestSeller).containsExactly(false, true, false);
        assertThat(e.agents()).extracting(Effects.AgentEffect::churnMultiplier).containsExactly(1.0, 2.5, 2.5);
        assertThat(e.agents()).extracting(Effects.AgentEffect::hardTickets).containsExactly(true, false, false);
        assertThat(e.hardTicketAgents()).containsExactly(0);
        assertThat(e.hardTicketChurnMultiplier()).isEqualTo(2.0);
        assertThat(e.hardTicketRouting()).isEqualTo(0.6);
        assertThat(e.upsellConversionRate()).isEqualTo(0.2305);
        assertThat(e.routing()).isEqualTo(Effects.Routing.RANDOM);
        // Email is the reference channel; a typical email ticket resolved in 2 h keeps the band's retention, unless
        // its agent is a planted churner or its topic is hard.
        assertThat(e.retentionProbability(2.0, 0, "email", 0.0, false)).isCloseTo(0.88, within(1e-12));
        assertThat(e.retentionProbability(2.0, 1, "email", 0.0, false)).isCloseTo(1 - 2.5 * 0.12, within(1e-12));
        assertThat(e.retentionProbability(30.0, 0, "email", 0.0, true)).isCloseTo(1 - 2 * 0.26, within(1e-12));
        assertThat(e.retentionProbability(0.5, 0, "chat", 0.0, false)).isCloseTo(1 - 0.12 * 0.14 / 0.18, within(1e-12));
    }

    @Test
    void a_partial_override_changes_only_what_it_names(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("effects.json");
        Files.writeString(file, "{\"upsell_conversion_rate\": 0.5, \"channel_retention\": {\"chat\": 0.9}}");
        Effects e = Effects.load(AGENTS, 1, file.toString());
        ObjectNode before = Effects.resolve(AGENTS, 1, null).toJson();
        ObjectNode after = e.toJson();
        assertThat(after.get("upsell_conversion_rate").asDouble()).isEqualTo(0.5);
        assertThat(after.at("/channel_retention/chat").asDouble()).isEqualTo(0.9);
        // Objects merge: the other channels keep their defaults.
        assertThat(after.at("/channel_retention/email").asDouble()).isEqualTo(0.82);
        before.put("upsell_conversion_rate", 0.5);
        ((ObjectNode) before.get("channel_retention")).put("chat", 0.9);
        assertThat(after).isEqualTo(before);
    }

    @Test
    void arrays_replace_and_unnamed_agents_become_neutral() throws Exception {
        Effects e = resolve("{\"agents\": [{\"agent_email\": \"c@x.com\", \"churn_multiplier\": 1.8, "
                + "\"best_seller\": true}], \"retention_by_resolution_hours\": [{\"upper_hours\": 10, "
                + "\"retention\": 0.9}, {\"upper_hours\": null, \"retention\": 0.7}], \"knee_hours\": 10}");
        assertThat(e.agents()).extracting(Effects.AgentEffect::agentEmail).containsExactlyElementsOf(AGENTS);
        assertThat(e.agents()).extracting(Effects.AgentEffect::churnMultiplier).containsExactly(1.0, 1.0, 1.8);
        assertThat(e.agents()).extracting(Effects.AgentEffect::bestSeller).containsExactly(false, false, true);
        assertThat(e.hardTicketAgents()).isEmpty();
        assertThat(e.bands()).hasSize(2);
    }

    @Test
    void the_full_object_of_a_ground_truth_is_accepted_back_unchanged() throws Exception {
        Effects original = resolve("{\"dunning_recovery_rate\": 0.4, \"confounding\": 0.3, "
                + "\"routing\": \"by_topic\"}");
        ObjectNode written = original.toJson();
        // ground_truth.json adds the measured speed effect; it comes back ignored.
        ObjectNode groundTruthEffects = written.deepCopy();
        groundTruthEffects.putObject("speed_effect_per_doubling").put("resolution_time", -0.02)
                .put("first_response_time", 0.0);
        Effects again = Effects.resolve(AGENTS, 0, groundTruthEffects);
        assertThat(again.toJson()).isEqualTo(written);
        assertThat(again.routing()).isEqualTo(Effects.Routing.BY_TOPIC);
    }

    @Test
    void invalid_effects_are_refused_with_a_clear_message() {
        assertRefused("{\"upsell_conversion_rate\": 1.5}", "upsell_conversion_rate must be in [0, 1]");
        assertRefused("{\"support_recovery_rate\": \"high\"}", "support_recovery_rate must be a number");
        assertRefused("{\"retention_by_resolution_hours\": [{\"upper_hours\": 4, \"retention\": 0.9}, "
                + "{\"upper_hours\": 2, \"retention\": 0.8}, {\"upper_hours\": null, \"retention\": 0.7}]}",
                "must be ascending");
        assertRefused("{\"retention_by_resolution_hours\": [{\"upper_hours\": 4, \"retention\": 0.9}]}",
                "last band");
        assertRefused("{\"retention_by_resolution_hours\": [{\"upper_hours\": null, \"retention\": 0.9}, "
                + "{\"upper_hours\": null, \"retention\": 0.8}]}", "only the last band may be open");
        assertRefused("{\"retention_by_resolution_hours\": []}", "non-empty array");
        assertRefused("{\"channel_retention\": {\"pigeon\": 0.5}}", "unknown channel");
        assertRefused("{\"channel_retention\": {\"email\": 1.0}}", "email must be below 1");
        assertRefused("{\"agents\": [{\"agent_email\": \"nobody@x.com\"}]}", "not one of this business's");
        assertRefused("{\"agents\": [{\"agent_email\": \"a@x.com\", \"churn_multiplier\": -1}]}", ">= 0");
        assertRefused("{\"knee_hours\": 0}", "positive");
        assertRefused("{\"agents\": [{\"agent_email\": \"a@x.com\", \"hard_tickets\": 1}]}", "true or false");
        assertRefused("{\"hard_ticket_routing\": 1.2}", "hard_ticket_routing must be in [0, 1]");
        assertRefused("{\"hard_ticket_churn_multiplier\": -2}", ">= 0");
        assertRefused("{\"speed_effect_per_doubling\": -0.5}", "measured, not set");
        assertRefused("{\"routing\": \"by_mood\"}", "routing must be one of [random, by_topic]");
        assertRefused("{\"upsell_rate\": 0.3}", "unknown effect 'upsell_rate'");
        assertRefused("[1, 2]", "must be a JSON object");
    }

    @Test
    void an_unreadable_file_is_refused(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Effects.load(AGENTS, 0, dir.resolve("missing.json").toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not found");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"knee_hours\": ");
        assertThatThrownBy(() -> Effects.load(AGENTS, 0, broken.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"dunning_recovery_rate\": 2}");
        assertThatThrownBy(() -> Effects.load(AGENTS, 0, bad.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(bad.toString())
                .hasMessageContaining("dunning_recovery_rate");
    }

    @Test
    void defaults_json_keys_are_the_documented_ones() throws Exception {
        ObjectNode full = resolve(null).toJson();
        List<String> keys = new ArrayList<>();
        full.properties().forEach(p -> keys.add(p.getKey()));
        assertThat(keys).containsExactly("retention_by_resolution_hours", "knee_hours", "channel_retention", "agents",
                "upsell_conversion_rate", "dunning_recovery_rate", "support_recovery_rate",
                "confounding", "hard_ticket_churn_multiplier", "hard_ticket_routing", "routing");
    }

    private static void assertRefused(String override, String message) {
        assertThatThrownBy(() -> resolve(override))
                .as(override)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
