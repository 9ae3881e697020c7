package io.supportroi.generate;

/**
 * One support ticket as the simulator decided it, before it is cut to what is visible on the as-of date. Durations
 * are whole minutes because Zendesk reports them so and the pipeline derives its figures from exactly these numbers
 * ({@code resolution_hours = full_resolution_minutes / 60}, {@code first_response_seconds = reply_minutes * 60}).
 * {@code retentionProbability} and {@code retained} are the planted truth: the ticket's probability that its
 * customer is retained at the horizon, and the draw that decided it.
 */
record SimTicket(
        long id,
        int customer,
        Kind kind,
        long createdAt,
        int channel,
        int agent,
        String topic,
        String subject,
        String type,
        String priority,
        long replyMinutes,
        long firstResolutionMinutes,
        long fullResolutionMinutes,
        long requesterWaitMinutes,
        long onHoldMinutes,
        int reopens,
        int replies,
        int unsolvedStatus,
        Csat csat,
        long ratedAt,
        double difficulty,
        double retentionProbability,
        boolean retained) {

    /** Who started the ticket and which campaign tag it carries (SPEC §5 attribution tags). */
    enum Kind {
        REACTIVE(null, false),
        WINBACK("winback", true),
        UPSELL("welcome-upsell", true);

        final String campaignTag;
        final boolean outbound;

        Kind(String campaignTag, boolean outbound) {
            this.campaignTag = campaignTag;
            this.outbound = outbound;
        }
    }

    /** The satisfaction survey's final state once the customer has had the chance to answer. */
    enum Csat { UNOFFERED, OFFERED, GOOD, BAD }

    static final String[] UNSOLVED_STATUS = {"open", "pending", "hold"};

    long repliedAt() {
        return createdAt + replyMinutes * Times.MINUTE;
    }

    long solvedAt() {
        return createdAt + fullResolutionMinutes * Times.MINUTE;
    }

    String rawChannel() {
        return Channels.raw(channel);
    }

    String normalisedChannel() {
        return Channels.normalised(channel);
    }

    /** A reactive ticket on a topic that churns customers whatever the agent does (see {@link Effects}). */
    boolean hardTopic() {
        return kind == Kind.REACTIVE && CustomerSimulator.HARD_TOPICS.contains(topic);
    }
}
