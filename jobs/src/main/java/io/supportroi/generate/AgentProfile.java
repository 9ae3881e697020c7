package io.supportroi.generate;

import java.io.Serializable;

/**
 * A support agent. {@code speedFactor} scales the agent's resolution and reply times (the instrument of SPEC §8:
 * tickets are routed at random, so an agent's speed moves resolution time without touching the customer's own risk);
 * {@code qualityFactor} moves CSAT.
 */
record AgentProfile(
        int index,
        long zendeskUserId,
        String name,
        String email,
        int team,
        long monthlyCostCents,
        String discountCode,
        double speedFactor,
        double qualityFactor) implements Serializable {

    static final String[] TEAMS = {"Customer Care", "Billing & Subscriptions", "Retention"};
    static final String EMAIL_DOMAIN = "fernwoodbox.com";

    String teamName() {
        return TEAMS[team];
    }

    long groupId() {
        return Ids.zendeskGroup(team);
    }
}
