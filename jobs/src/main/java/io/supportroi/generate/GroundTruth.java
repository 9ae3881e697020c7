package io.supportroi.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code ground_truth.json}: the generator's arguments, the planted effects, and what the pipeline should measure on
 * this data, computed from what was actually simulated (SPEC §6).
 */
final class GroundTruth {
    private GroundTruth() {}

    static ObjectNode build(Business b, ChunkResult total) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("seed", b.seed);
        root.put("customers", b.customers);
        root.put("months", b.months);
        root.put("start", b.start.toString());
        root.put("end", b.end.toString());
        root.set("effects", b.effects.toJson());

        ObjectNode expected = root.putObject("expected");
        expected.put("as_of", b.end.toString());
        expected.put("retention_horizon_days", b.horizonDays);
        ArrayNode rows = expected.putArray("resolution_time_vs_retention");
        ExpectedRetention e = total.expected;
        for (int m = 0; m < ExpectedRetention.METRICS.length; m++) {
            for (int i = 0; i < e.buckets(); i++) {
                ObjectNode row = rows.addObject();
                row.put("metric", ExpectedRetention.METRICS[m]);
                row.put("bucket_order", i);
                row.put("lower_hours", i == 0 ? 0.0 : e.boundsHours[i - 1]);
                if (i < e.boundsHours.length) {
                    row.put("upper_hours", e.boundsHours[i]);
                } else {
                    row.putNull("upper_hours");
                }
                row.put("tickets", e.tickets[m][i]);
                row.put("customers", e.customers[m][i]);
                putRate(row, "expected_retention", e.expectedRetention(m, i));
            }
        }
        ObjectNode upsell = expected.putObject("upsell_campaign");
        upsell.put("definition", "welcome-upsell outreaches whose 14-day conversion window ended by as_of");
        upsell.put("contacted", total.upsellContacted);
        upsell.put("converted", total.upsellConverted);
        putRate(upsell, "conversion_rate", ratio(total.upsellConverted, total.upsellContacted));
        ObjectNode recovery = expected.putObject("passive_churn_recovery");
        recovery.put("definition", "failed renewals whose dunning and win-back process (26 days) ended by as_of");
        recovery.put("failed_renewals", total.failedRenewals);
        recovery.put("recovered_by_dunning", total.recoveredByDunning);
        recovery.put("handed_to_support", total.handedToSupport);
        recovery.put("recovered_by_support", total.recoveredBySupport);
        recovery.put("lost", total.lost);
        putRate(recovery, "dunning_recovery_rate", ratio(total.recoveredByDunning, total.failedRenewals));
        putRate(recovery, "support_recovery_rate", ratio(total.recoveredBySupport, total.handedToSupport));

        ObjectNode counts = root.putObject("counts");
        counts.put("customers", total.customers);
        counts.put("subscribers", total.subscribers);
        counts.put("shop_only_customers", total.customers - total.subscribers);
        counts.put("agents", b.agents.length);
        counts.put("tickets", total.records[ChunkResult.TICKETS]);
        counts.put("ticket_metrics", total.records[ChunkResult.METRICS]);
        counts.put("zendesk_end_users", total.records[ChunkResult.USERS]);
        counts.put("orders", total.records[ChunkResult.ORDERS]);
        counts.put("stripe_events", total.records[ChunkResult.STRIPE]);
        counts.put("claims", total.records[ChunkResult.CLAIMS]);
        return root;
    }

    static String toText(ObjectNode root) {
        // Line feeds spelled out: the default indenter uses the platform's separator, and output must be identical
        // wherever it is generated.
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
        try {
            return new ObjectMapper().writer(printer).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render ground truth", e);
        }
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? Double.NaN : (double) numerator / denominator;
    }

    private static void putRate(ObjectNode node, String name, double value) {
        if (Double.isNaN(value)) {
            node.putNull(name);
        } else {
            node.put(name, value);
        }
    }
}
