package io.supportroi.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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
        helpdesk(root.putObject("helpdesk"), b);
        root.put("shop", b.shop.cliName());
        root.put("billing", b.billing.cliName());
        ObjectNode effects = b.effects.toJson();
        // Reply time does not enter the planted retention probability: doubling it changes nothing.
        effects.putObject(Effects.SPEED)
                .put("resolution_time", total.expected.resolutionEffectPerDoubling())
                .put("first_response_time", 0.0);
        root.set("effects", effects);

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
        ArrayNode channels = expected.putArray("channel_vs_loyalty");
        for (int c = 0; c < Effects.CHANNELS.size(); c++) {
            if (e.channelTickets[c] == 0) {
                continue;
            }
            ObjectNode row = channels.addObject();
            row.put("channel", Effects.CHANNELS.get(c));
            row.put("tickets", e.channelTickets[c]);
            putRate(row, "expected_retention", e.expectedChannelRetention(c));
        }
        ObjectNode speed = expected.putObject("speed_effect");
        speed.put("definition", "effects.speed_effect_per_doubling.resolution_time is the mean over these reactive "
                + "tickets (solved by as_of, horizon ended) of p(t*sqrt2) - p(t/sqrt2), every other planted term of "
                + "the ticket held; first_response_time is 0 because reply time is not in p");
        speed.put("tickets", e.speedTickets);
        speed.put("routing", b.effects.routing().json());
        ArrayNode hardTags = expected.putArray("hard_ticket_tags");
        CustomerSimulator.HARD_TOPICS.stream().sorted().forEach(hardTags::add);
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

        supportPnl(expected.putArray("support_pnl_monthly"), b, total.pnl);

        ObjectNode counts = root.putObject("counts");
        counts.put("customers", total.customers);
        counts.put("subscribers", total.subscribers);
        counts.put("shop_only_customers", total.customers - total.subscribers);
        counts.put("agents", b.agents.length);
        // Entities as written, each once whatever the format (a re-sent or duplicated record counts once).
        counts.put("tickets", total.records[ChunkResult.TICKETS] + total.records[ChunkResult.GORGIAS_TICKETS]
                + total.records[ChunkResult.CSV_TICKETS]);
        counts.put("zendesk_tickets", total.records[ChunkResult.TICKETS]);
        counts.put("gorgias_tickets", total.records[ChunkResult.GORGIAS_TICKETS]);
        counts.put("csv_tickets", total.records[ChunkResult.CSV_TICKETS]);
        counts.put("ticket_metrics", total.records[ChunkResult.METRICS]);
        counts.put("zendesk_end_users", total.records[ChunkResult.USERS]);
        counts.put("gorgias_satisfaction_surveys", total.records[ChunkResult.GORGIAS_SURVEYS]);
        counts.put("orders", total.records[ChunkResult.ORDERS] + total.records[ChunkResult.CSV_ORDERS]);
        counts.put("shopify_orders", total.records[ChunkResult.ORDERS]);
        counts.put("csv_orders", total.records[ChunkResult.CSV_ORDERS]);
        counts.put("stripe_events", total.records[ChunkResult.STRIPE]);
        counts.put("csv_billing_rows", total.records[ChunkResult.CSV_BILLING]);
        counts.put("claims", total.records[ChunkResult.CLAIMS]);
        dirty(root.putObject("dirty"), b, total);
        return root;
    }

    /**
     * SPEC §5's P&L per calendar month of the period, with the default refund share. Staff cost is every agent's
     * monthly cost, charged every month; the generator ships no replacements, so the refund share is of refunds.
     */
    private static void supportPnl(ArrayNode rows, Business b, PnlTruth pnl) {
        long staff = 0;
        for (AgentProfile a : b.agents) {
            staff += a.monthlyCostCents();
        }
        long platform = ReferenceFiles.monthlyPlatformCostCents(b);
        for (int k = 0; k < b.calendarMonths; k++) {
            long refundShare = java.math.BigDecimal.valueOf(pnl.refunded[k]).multiply(REFUND_SHARE)
                    .setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
            long grossProfit = pnl.upsellRevenue[k] + pnl.winbackRevenue[k] + pnl.discountCodeRevenue[k] - pnl.cogs[k]
                    + pnl.claimsRecovered[k];
            long totalCost = staff + platform + refundShare;
            ObjectNode row = rows.addObject();
            row.put("month", b.firstMonth.plusMonths(k).toString());
            putMoney(row, "staff_cost", staff);
            putMoney(row, "platform_cost", platform);
            putMoney(row, "refunded", pnl.refunded[k]);
            putMoney(row, "refund_share_cost", refundShare);
            putMoney(row, "upsell_revenue", pnl.upsellRevenue[k]);
            putMoney(row, "winback_revenue", pnl.winbackRevenue[k]);
            putMoney(row, "discount_code_revenue", pnl.discountCodeRevenue[k]);
            putMoney(row, "cogs", pnl.cogs[k]);
            putMoney(row, "claims_recovered", pnl.claimsRecovered[k]);
            putMoney(row, "support_gross_profit", grossProfit);
            putMoney(row, "total_cost", totalCost);
            putMoney(row, "net_profit", grossProfit - totalCost);
            row.put("is_profit_center", grossProfit - totalCost > 0);
        }
    }

    /** The pipeline's default {@code pnl.refund-share}. */
    static final java.math.BigDecimal REFUND_SHARE = new java.math.BigDecimal("0.10");

    private static void putMoney(ObjectNode node, String name, long cents) {
        node.put(name, java.math.BigDecimal.valueOf(cents, 2));
    }

    /** Which helpdesk holds which tickets; with a migration, the instant it happened. */
    private static void helpdesk(ObjectNode node, Business b) {
        node.put("mode", b.helpdesk.cliName());
        if (b.helpdesk == GeneratorOptions.Helpdesk.BOTH) {
            node.put("switch_date", b.helpdeskSwitchDate.toString());
            node.put("switch_at", Times.utc(b.helpdeskSwitchSec));
            node.put("rule", "tickets created before switch_at are in zendesk/, tickets created at or after it in "
                    + "gorgias/");
        } else {
            node.putNull("switch_date");
            node.putNull("switch_at");
            node.put("rule", "every ticket is in " + (b.helpdesk == GeneratorOptions.Helpdesk.CSV ? "csv/tickets"
                    : b.helpdesk.cliName()) + "/");
        }
    }

    /**
     * What {@code --dirty} planted. {@code repairable}: counts per kind of dirt the pipeline must undo (its silver
     * tables equal those of the clean output of the same seed). {@code unrepairable}: every broken record, where the
     * ingest finds it ({@code line} 1-based, {@code record_index} 0-based: the element's index in a page array, the
     * line's index among a JSON Lines file's non-blank lines, the row's index among a CSV file's data rows, the header
     * being line 1), each to be quarantined as an extra record. {@code duplicate_files}: files written twice, each
     * copy with the file it repeats. The shape is the same for a clean run, with zeros and empty lists.
     */
    private static void dirty(ObjectNode node, Business b, ChunkResult total) {
        node.put("enabled", b.dirty);
        ObjectNode repairable = node.putObject("repairable");
        for (Dirt.Repair r : Dirt.Repair.values()) {
            repairable.put(r.key(), total.repairs[r.ordinal()]);
        }
        List<Dirt.PageCopy> copies = new ArrayList<>(total.pageCopies);
        copies.sort(Comparator.comparingInt((Dirt.PageCopy c) -> Sources.order(c.source()))
                .thenComparing(Dirt.PageCopy::file));
        ArrayNode copyRows = node.putArray("duplicate_files");
        for (Dirt.PageCopy c : copies) {
            copyRows.addObject().put("source", c.source()).put("file", c.file()).put("copy_of", c.copyOf());
        }
        List<Dirt.Planted> planted = new ArrayList<>(total.planted);
        planted.sort(Comparator.comparingInt((Dirt.Planted p) -> Sources.order(p.source()))
                .thenComparing(Dirt.Planted::file)
                .thenComparingLong(Dirt.Planted::recordIndex));
        ObjectNode bySource = node.putObject("unrepairable_counts");
        for (Dirt.Planted p : planted) {
            ObjectNode perSource = bySource.has(p.source()) ? (ObjectNode) bySource.get(p.source())
                    : bySource.putObject(p.source());
            perSource.put(p.defect(), perSource.path(p.defect()).asLong(0) + 1);
        }
        node.put("unrepairable_total", planted.size());
        ArrayNode rows = node.putArray("unrepairable");
        for (Dirt.Planted p : planted) {
            ObjectNode row = rows.addObject();
            row.put("source", p.source());
            row.put("file", p.file());
            row.put("line", p.line());
            row.put("record_index", p.recordIndex());
            row.put("defect", p.defect());
            if (p.field() == null) {
                row.putNull("field");
            } else {
                row.put("field", p.field());
            }
            if (p.id() == null) {
                row.putNull("id");
            } else {
                row.put("id", p.id());
            }
        }
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
