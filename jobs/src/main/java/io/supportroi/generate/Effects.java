package io.supportroi.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.supportroi.config.BadInput;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The planted effects: the parameters the simulator draws outcomes from and {@code ground_truth.json} reports, so that
 * the pipeline's measurements can be checked against the truth.
 *
 * <p>A ticket's probability that its customer is retained at the horizon is
 * {@code p = clamp(1 - (1 - r_band(resolution_hours)) * agent.churn_multiplier * channel_mult[c] * difficulty_mult
 * * hard_mult)} with {@code channel_mult[c] = (1 - channel_retention[c]) / (1 - channel_retention["email"])},
 * {@code difficulty_mult = exp(0.5 * confounding * difficulty)} (difficulty a standard normal per ticket, so 1 when
 * {@code confounding} is 0) and {@code hard_mult = hard_ticket_churn_multiplier} for a reactive ticket on a hard topic
 * (its tag says so: the churn model can see it), else 1. Win-back tickets instead have
 * {@code p = support_recovery_rate}.
 *
 * <p>Routing: a ticket goes to an agent drawn uniformly, except that a hard ticket (a win-back, or a reactive ticket on
 * a hard topic) goes, with probability {@code hard_ticket_routing}, to an agent flagged {@code hard_tickets}. That agent's customers churn more than the
 * others' because of the mix alone, which a risk-adjusted table must explain away and a naive ranking would not.
 *
 * <p>An override ({@code --effects FILE}) is deep-merged into the defaults: objects merge key by key, arrays and
 * scalars replace. Replacing {@code agents} lists only the agents it names with their values; every other agent is
 * neutral (multiplier 1.0, not a best seller). {@code speed_effect_per_doubling} is measured on the simulated tickets
 * (see {@link ExpectedRetention}), never chosen: an override may carry it (so the {@code effects} object of a
 * ground_truth.json can be fed back), and it is ignored.
 *
 * <p>{@code routing}: {@code "random"} (the default) draws agents as above, so an agent's speed is unrelated to the
 * customer's own risk and is a valid instrument (SPEC §8). {@code "by_topic"} sends every hard ticket to the slowest
 * agent, as a skills-based router might: slow agents then get the customers who churn anyway, and an instrumented
 * estimate that trusts the agent is biased; the pipeline's balance check must say so.
 */
public final class Effects implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Normalised channels the generator emits (SPEC §3), email first: it is the reference channel. */
    public static final List<String> CHANNELS = List.of("email", "chat", "phone", "social", "web", "sms");

    static final String BANDS = "retention_by_resolution_hours";
    static final String KNEE = "knee_hours";
    static final String CHANNEL_RETENTION = "channel_retention";
    static final String AGENTS = "agents";
    static final String UPSELL = "upsell_conversion_rate";
    static final String DUNNING = "dunning_recovery_rate";
    static final String SUPPORT = "support_recovery_rate";
    static final String SPEED = "speed_effect_per_doubling";
    static final String CONFOUNDING = "confounding";
    static final String HARD_MULTIPLIER = "hard_ticket_churn_multiplier";
    static final String HARD_ROUTING = "hard_ticket_routing";
    static final String ROUTING = "routing";
    private static final List<String> KEYS = List.of(BANDS, KNEE, CHANNEL_RETENTION, AGENTS, UPSELL, DUNNING, SUPPORT,
            SPEED, CONFOUNDING, HARD_MULTIPLIER, HARD_ROUTING, ROUTING);

    /** How tickets find their agent; see the class comment. */
    public enum Routing {
        RANDOM("random"), BY_TOPIC("by_topic");

        private final String json;

        Routing(String json) {
            this.json = json;
        }

        public String json() {
            return json;
        }

        static Routing parse(String s) {
            for (Routing r : values()) {
                if (r.json.equals(s)) {
                    return r;
                }
            }
            throw new IllegalArgumentException(ROUTING + " must be one of [random, by_topic], got " + s);
        }
    }
    /** Default churn multiplier of the two planted high-churn agents (one of them the best seller). */
    static final double PLANTED_AGENT_CHURN_MULTIPLIER = 2.5;

    /** One resolution-time band {@code [previous upper, upperHours)}; the last band is open ({@code upperHours} null). */
    public record Band(Double upperHours, double retention) implements Serializable {}

    public record AgentEffect(String agentEmail, double churnMultiplier, boolean bestSeller, boolean hardTickets)
            implements Serializable {}

    private final List<Band> bands;
    private final double kneeHours;
    private final Map<String, Double> channelRetention;
    private final List<AgentEffect> agents;
    private final double upsellConversionRate;
    private final double dunningRecoveryRate;
    private final double supportRecoveryRate;
    private final double confounding;
    private final double hardTicketChurnMultiplier;
    private final double hardTicketRouting;
    private final Routing routing;

    private Effects(List<Band> bands, double kneeHours, Map<String, Double> channelRetention,
                    List<AgentEffect> agents, double upsell, double dunning, double support, double confounding,
                    double hardMultiplier, double hardRouting, Routing routing) {
        this.bands = List.copyOf(bands);
        this.kneeHours = kneeHours;
        this.channelRetention = Collections.unmodifiableMap(new LinkedHashMap<>(channelRetention));
        this.agents = List.copyOf(agents);
        this.upsellConversionRate = upsell;
        this.dunningRecoveryRate = dunning;
        this.supportRecoveryRate = support;
        this.confounding = confounding;
        this.hardTicketChurnMultiplier = hardMultiplier;
        this.hardTicketRouting = hardRouting;
        this.routing = routing;
    }

    /**
     * The default effects for a business whose agents have these emails; {@code bestSeller} indexes into them. The
     * best seller and the agent after it churn their customers {@link #PLANTED_AGENT_CHURN_MULTIPLIER} times as often;
     * the next agent gets the hard tickets. (With fewer than three agents only the best seller is planted.)
     */
    public static ObjectNode defaultsJson(List<String> agentEmails, int bestSeller) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        ArrayNode bands = root.putArray(BANDS);
        // One step: flat up to the knee, a drop, flat beyond. Both readings of "knee" then name the same bound: the
        // slowest bound still as good as the fastest bucket (SPEC §4) and the time beyond which retention no longer
        // falls (SPEC §6). A gradual slope would put SPEC §4's knee wherever the sample size makes a drop significant.
        double[][] defaults = {{1, 0.88}, {4, 0.88}, {24, 0.88}, {72, 0.74}};
        for (double[] b : defaults) {
            bands.addObject().put("upper_hours", b[0]).put("retention", b[1]);
        }
        bands.addObject().putNull("upper_hours").put("retention", 0.74);
        root.put(KNEE, 24.0);
        ObjectNode channels = root.putObject(CHANNEL_RETENTION);
        channels.put("email", 0.82).put("chat", 0.86).put("phone", 0.85).put("social", 0.78).put("web", 0.80)
                .put("sms", 0.80);
        ArrayNode agents = root.putArray(AGENTS);
        int n = agentEmails.size();
        boolean roles = n >= 3;
        int otherChurner = roles ? (bestSeller + 1) % n : -1;
        int hard = roles ? (bestSeller + 2) % n : -1;
        for (int i = 0; i < n; i++) {
            boolean churner = i == bestSeller || i == otherChurner;
            agents.addObject().put("agent_email", agentEmails.get(i))
                    .put("churn_multiplier", churner ? PLANTED_AGENT_CHURN_MULTIPLIER : 1.0)
                    .put("best_seller", i == bestSeller)
                    .put("hard_tickets", i == hard);
        }
        // The published welcome-mail result: 23.05% of contacted new subscribers bought the upcoming box.
        root.put(UPSELL, 0.2305);
        root.put(DUNNING, 0.6);
        root.put(SUPPORT, 0.2);
        root.put(CONFOUNDING, 0.0);
        root.put(HARD_MULTIPLIER, 2.0);
        root.put(HARD_ROUTING, 0.6);
        root.put(ROUTING, Routing.RANDOM.json());
        return root;
    }

    /** Defaults merged with the JSON object in {@code effectsFile} (null: defaults only), validated. */
    public static Effects load(List<String> agentEmails, int bestSeller, String effectsFile) throws IOException {
        if (effectsFile == null) {
            return resolve(agentEmails, bestSeller, null);
        }
        Path path = Path.of(effectsFile);
        if (!Files.isRegularFile(path)) {
            throw new BadInput("effects file not found: " + effectsFile);
        }
        JsonNode override;
        try {
            override = new ObjectMapper().readTree(Files.readString(path));
        } catch (JsonProcessingException e) {
            throw new BadInput("effects file " + effectsFile + " is not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
        try {
            return resolve(agentEmails, bestSeller, override);
        } catch (IllegalArgumentException e) {
            throw new BadInput("effects file " + effectsFile + ": " + e.getMessage(), e);
        }
    }

    /** Defaults deep-merged with {@code override} (null: none), validated. */
    public static Effects resolve(List<String> agentEmails, int bestSeller, JsonNode override) {
        ObjectNode merged = defaultsJson(agentEmails, bestSeller);
        if (override != null && !override.isNull()) {
            if (!override.isObject()) {
                throw new IllegalArgumentException("effects must be a JSON object, got " + override.getNodeType());
            }
            deepMerge(merged, (ObjectNode) override);
        }
        return parse(merged, agentEmails);
    }

    /** Objects merge key by key (recursively); any other value, arrays included, replaces. */
    static void deepMerge(ObjectNode base, ObjectNode override) {
        for (Map.Entry<String, JsonNode> e : override.properties()) {
            JsonNode existing = base.get(e.getKey());
            if (existing != null && existing.isObject() && e.getValue().isObject()) {
                deepMerge((ObjectNode) existing, (ObjectNode) e.getValue());
            } else {
                base.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    private static Effects parse(ObjectNode root, List<String> agentEmails) {
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown effect '" + key + "'; known: " + KEYS);
            }
        }
        List<Band> bands = parseBands(root.get(BANDS));
        double knee = number(root, KNEE, KNEE);
        if (!(knee > 0) || Double.isInfinite(knee)) {
            throw new IllegalArgumentException(KNEE + " must be a positive number of hours, got " + knee);
        }
        Map<String, Double> channels = parseChannels(root.get(CHANNEL_RETENTION));
        List<AgentEffect> agents = parseAgents(root.get(AGENTS), agentEmails);
        double upsell = rate(root, UPSELL);
        double dunning = rate(root, DUNNING);
        double support = rate(root, SUPPORT);
        double confounding = rate(root, CONFOUNDING);
        double hardMultiplier = number(root, HARD_MULTIPLIER, HARD_MULTIPLIER);
        if (!(hardMultiplier >= 0) || Double.isInfinite(hardMultiplier)) {
            throw new IllegalArgumentException(HARD_MULTIPLIER + " must be a number >= 0, got " + hardMultiplier);
        }
        double hardRouting = rate(root, HARD_ROUTING);
        JsonNode routing = root.get(ROUTING);
        if (routing == null || !routing.isTextual()) {
            throw new IllegalArgumentException(ROUTING + " must be one of [random, by_topic], got " + routing);
        }
        JsonNode speed = root.get(SPEED);
        if (speed != null && !speed.isObject()) {
            throw new IllegalArgumentException(SPEED + " is measured, not set; when repeated it must be an object");
        }
        return new Effects(bands, knee, channels, agents, upsell, dunning, support, confounding, hardMultiplier,
                hardRouting, Routing.parse(routing.asText()));
    }

    private static List<Band> parseBands(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException(BANDS + " must be a non-empty array of {upper_hours, retention}");
        }
        List<Band> bands = new ArrayList<>();
        double previous = 0;
        for (int i = 0; i < node.size(); i++) {
            JsonNode b = node.get(i);
            String where = BANDS + "[" + i + "]";
            if (!b.isObject()) {
                throw new IllegalArgumentException(where + " must be an object {upper_hours, retention}");
            }
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!key.equals("upper_hours") && !key.equals("retention")) {
                    throw new IllegalArgumentException("unknown key " + where + "." + key);
                }
            }
            JsonNode upper = b.get("upper_hours");
            boolean last = i == node.size() - 1;
            Double upperHours;
            if (upper == null || upper.isNull()) {
                if (!last) {
                    throw new IllegalArgumentException(where + ".upper_hours is null but only the last band may be open");
                }
                upperHours = null;
            } else {
                if (last) {
                    throw new IllegalArgumentException(
                            "the last band of " + BANDS + " must have upper_hours null (open-ended), got " + upper);
                }
                if (!upper.isNumber()) {
                    throw new IllegalArgumentException(where + ".upper_hours must be a number, got " + upper);
                }
                upperHours = upper.asDouble();
                if (!(upperHours > previous) || Double.isInfinite(upperHours)) {
                    throw new IllegalArgumentException(BANDS + " must be ascending: " + where + ".upper_hours = "
                            + upperHours + " after " + previous);
                }
                previous = upperHours;
            }
            bands.add(new Band(upperHours, rate(b, "retention", where + ".retention")));
        }
        return bands;
    }

    private static Map<String, Double> parseChannels(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(CHANNEL_RETENTION + " must be an object {channel: retention}");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!CHANNELS.contains(key)) {
                throw new IllegalArgumentException("unknown channel " + CHANNEL_RETENTION + "." + key
                        + "; the generator emits " + CHANNELS);
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (String c : CHANNELS) {
            out.put(c, rate(node, c, CHANNEL_RETENTION + "." + c));
        }
        if (out.get("email") >= 1.0) {
            throw new IllegalArgumentException(CHANNEL_RETENTION + ".email must be below 1: it is the reference "
                    + "channel, every channel's churn is scaled by (1 - its retention) / (1 - email's)");
        }
        return out;
    }

    private static List<AgentEffect> parseAgents(JsonNode node, List<String> agentEmails) {
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException(AGENTS
                    + " must be an array of {agent_email, churn_multiplier, best_seller, hard_tickets}");
        }
        Map<String, AgentEffect> named = new LinkedHashMap<>();
        Set<String> known = new HashSet<>(agentEmails);
        for (int i = 0; i < node.size(); i++) {
            JsonNode a = node.get(i);
            String where = AGENTS + "[" + i + "]";
            if (!a.isObject()) {
                throw new IllegalArgumentException(where + " must be an object");
            }
            for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!List.of("agent_email", "churn_multiplier", "best_seller", "hard_tickets").contains(key)) {
                    throw new IllegalArgumentException("unknown key " + where + "." + key);
                }
            }
            JsonNode email = a.get("agent_email");
            if (email == null || !email.isTextual()) {
                throw new IllegalArgumentException(where + ".agent_email is required");
            }
            String e = email.asText();
            if (!known.contains(e)) {
                throw new IllegalArgumentException(where + ".agent_email " + e + " is not one of this business's "
                        + agentEmails.size() + " agents (see reference/agents.csv of a generated landing)");
            }
            if (named.containsKey(e)) {
                throw new IllegalArgumentException(where + ".agent_email " + e + " is listed twice");
            }
            double multiplier = 1.0;
            JsonNode m = a.get("churn_multiplier");
            if (m != null) {
                if (!m.isNumber() || !(m.asDouble() >= 0) || Double.isInfinite(m.asDouble())) {
                    throw new IllegalArgumentException(where + ".churn_multiplier must be a number >= 0, got " + m);
                }
                multiplier = m.asDouble();
            }
            boolean bestSeller = false;
            JsonNode s = a.get("best_seller");
            if (s != null) {
                if (!s.isBoolean()) {
                    throw new IllegalArgumentException(where + ".best_seller must be true or false, got " + s);
                }
                bestSeller = s.asBoolean();
            }
            boolean hard = false;
            JsonNode h = a.get("hard_tickets");
            if (h != null) {
                if (!h.isBoolean()) {
                    throw new IllegalArgumentException(where + ".hard_tickets must be true or false, got " + h);
                }
                hard = h.asBoolean();
            }
            named.put(e, new AgentEffect(e, multiplier, bestSeller, hard));
        }
        List<AgentEffect> out = new ArrayList<>(agentEmails.size());
        for (String e : agentEmails) {
            out.add(named.getOrDefault(e, new AgentEffect(e, 1.0, false, false)));
        }
        return out;
    }

    private static double rate(JsonNode parent, String key) {
        return rate(parent, key, key);
    }

    private static double rate(JsonNode parent, String key, String where) {
        double v = number(parent, key, where);
        if (!(v >= 0.0 && v <= 1.0)) {
            throw new IllegalArgumentException(where + " must be in [0, 1], got " + v);
        }
        return v;
    }

    private static double number(JsonNode parent, String key, String where) {
        JsonNode v = parent.get(key);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException(where + " must be a number, got " + v);
        }
        return v.asDouble();
    }

    private static double bandRetention(List<Band> bands, double hours) {
        for (Band b : bands) {
            if (b.upperHours() == null || hours < b.upperHours()) {
                return b.retention();
            }
        }
        throw new IllegalStateException("bands without an open last band");
    }

    /** The planted retention of the band {@code hours} falls in. */
    public double bandRetention(double hours) {
        return bandRetention(bands, hours);
    }

    /** Churn scale of a normalised channel relative to email. */
    public double channelMultiplier(String channel) {
        Double r = channelRetention.get(channel);
        if (r == null) {
            throw new IllegalArgumentException("no planted retention for channel " + channel);
        }
        return (1.0 - r) / (1.0 - channelRetention.get("email"));
    }

    /** The class comment's formula for a reactive or welcome-upsell ticket. */
    public double retentionProbability(double resolutionHours, int agent, String channel, double difficulty,
                                       boolean hardTopic) {
        double churn = (1.0 - bandRetention(resolutionHours)) * agents.get(agent).churnMultiplier()
                * channelMultiplier(channel) * StrictMath.exp(0.5 * confounding * difficulty)
                * (hardTopic ? hardTicketChurnMultiplier : 1.0);
        return Math.max(0.0, Math.min(1.0, 1.0 - churn));
    }

    public List<Band> bands() {
        return bands;
    }

    public double kneeHours() {
        return kneeHours;
    }

    public Map<String, Double> channelRetention() {
        return channelRetention;
    }

    public List<AgentEffect> agents() {
        return agents;
    }

    public double upsellConversionRate() {
        return upsellConversionRate;
    }

    public double dunningRecoveryRate() {
        return dunningRecoveryRate;
    }

    public double supportRecoveryRate() {
        return supportRecoveryRate;
    }

    public double confounding() {
        return confounding;
    }

    public double hardTicketChurnMultiplier() {
        return hardTicketChurnMultiplier;
    }

    public double hardTicketRouting() {
        return hardTicketRouting;
    }

    /** Indexes of the agents flagged {@code hard_tickets}, in agent order. */
    public int[] hardTicketAgents() {
        return java.util.stream.IntStream.range(0, agents.size()).filter(i -> agents.get(i).hardTickets()).toArray();
    }

    public Routing routing() {
        return routing;
    }

    /**
     * The full object as accepted back by {@code --effects}; ground_truth.json adds the measured
     * {@code speed_effect_per_doubling}.
     */
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        ArrayNode bandsNode = root.putArray(BANDS);
        for (Band b : bands) {
            ObjectNode n = bandsNode.addObject();
            if (b.upperHours() == null) {
                n.putNull("upper_hours");
            } else {
                n.put("upper_hours", b.upperHours());
            }
            n.put("retention", b.retention());
        }
        root.put(KNEE, kneeHours);
        ObjectNode channels = root.putObject(CHANNEL_RETENTION);
        channelRetention.forEach(channels::put);
        ArrayNode agentsNode = root.putArray(AGENTS);
        for (AgentEffect a : agents) {
            agentsNode.addObject().put("agent_email", a.agentEmail()).put("churn_multiplier", a.churnMultiplier())
                    .put("best_seller", a.bestSeller()).put("hard_tickets", a.hardTickets());
        }
        root.put(UPSELL, upsellConversionRate);
        root.put(DUNNING, dunningRecoveryRate);
        root.put(SUPPORT, supportRecoveryRate);
        root.put(CONFOUNDING, confounding);
        root.put(HARD_MULTIPLIER, hardTicketChurnMultiplier);
        root.put(HARD_ROUTING, hardTicketRouting);
        root.put(ROUTING, routing.json());
        return root;
    }
}
