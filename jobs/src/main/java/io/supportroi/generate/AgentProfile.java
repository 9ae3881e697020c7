package io.supportroi.generate;

import java.io.Serializable;

/**
 * A support agent. {@code speedFactor} scales the agent's resolution times and {@code replySpeedFactor}, drawn on its
 * own, the first-reply times (the instruments of SPEC §8: tickets are routed at random, so an agent's speed moves a
 * ticket's times without touching the customer's own risk; drawn apart, each time has an instrument that moves it
 * and not the other); {@code qualityFactor} moves CSAT.
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
        double qualityFactor,
        double replySpeedFactor) implements Serializable {

    static final String[] TEAMS = {"Customer Care", "Billing & Subscriptions", "Retention"};
    static final String EMAIL_DOMAIN = "fernwoodbox.com";

    AgentProfile withSpeeds(double speed, double replySpeed) {
        return new AgentProfile(index, zendeskUserId, name, email, team, monthlyCostCents, discountCode, speed,
                qualityFactor, replySpeed);
    }

    String teamName() {
        return TEAMS[team];
    }

    long groupId() {
        return Ids.zendeskGroup(team);
    }
}
