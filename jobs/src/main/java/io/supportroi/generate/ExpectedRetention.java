package io.supportroi.generate;

import java.io.Serializable;

/**
 * Partial sums for the {@code expected} block of ground_truth.json: per metric and speed bucket, the uncensored
 * tickets with the metric, the distinct customers among them, and the sum of the tickets' planted retention
 * probabilities. A customer lives in exactly one chunk, so per-chunk distinct counts add up to the global ones.
 *
 * <p>A ticket counts when {@code created_at + H <= as-of 23:59:59.999999} (SPEC §4) and its metric is known on the
 * as-of date. Hours are computed as the pipeline computes them: {@code full_resolution_minutes / 60} and
 * {@code reply_minutes * 60 / 3600}.
 */
final class ExpectedRetention implements Serializable {
    private static final long serialVersionUID = 1L;

    static final String[] METRICS = {"resolution_time", "first_response_time"};
    static final int RESOLUTION = 0;
    static final int FIRST_RESPONSE = 1;

    final double[] boundsHours;
    final long[][] tickets;
    final long[][] customers;
    final double[][] sumProbability;
    /** Per normalised channel ({@link Effects#CHANNELS} order): every uncensored ticket, as channel_vs_loyalty counts. */
    final long[] channelTickets = new long[Effects.CHANNELS.size()];
    final double[] channelSumProbability = new double[Effects.CHANNELS.size()];
    /**
     * Reactive tickets of the SPEC §8 estimate (uncensored, solved by as-of) and the sum over them of
     * {@code p(t * sqrt 2) - p(t / sqrt 2)}: the planted change in retention when the ticket's resolution time doubles
     * around the time it had, everything else about the ticket held. Centred on the observed time because that is
     * what an instrument that moves times by a factor either way measures: the retention curve's slope where the
     * tickets are, not one doubling above it.
     */
    long speedTickets;
    double speedSumDoublingEffect;

    ExpectedRetention(double[] boundsHours) {
        this.boundsHours = boundsHours.clone();
        int buckets = boundsHours.length + 1;
        this.tickets = new long[METRICS.length][buckets];
        this.customers = new long[METRICS.length][buckets];
        this.sumProbability = new double[METRICS.length][buckets];
    }

    int buckets() {
        return boundsHours.length + 1;
    }

    int bucket(double hours) {
        for (int i = 0; i < boundsHours.length; i++) {
            if (hours < boundsHours[i]) {
                return i;
            }
        }
        return boundsHours.length;
    }

    /** Whether the ticket's horizon window ends by the as-of date. */
    static boolean uncensored(SimTicket t, Business b) {
        return t.createdAt() + b.horizonSec < b.endExclusiveSec;
    }

    static double resolutionHours(SimTicket t) {
        return t.fullResolutionMinutes() / 60.0;
    }

    static double firstResponseHours(SimTicket t) {
        return (t.replyMinutes() * 60) / 3600.0;
    }

    void add(CustomerHistory h, Business b) {
        boolean[][] seen = new boolean[METRICS.length][buckets()];
        for (SimTicket t : h.tickets) {
            if (!uncensored(t, b)) {
                continue;
            }
            int c = Effects.CHANNELS.indexOf(t.normalisedChannel());
            channelTickets[c]++;
            channelSumProbability[c] += t.retentionProbability();
            if (t.solvedAt() < b.endExclusiveSec) {
                count(seen, RESOLUTION, bucket(resolutionHours(t)), t);
                if (t.kind() == SimTicket.Kind.REACTIVE) {
                    speedTickets++;
                    speedSumDoublingEffect += doublingEffect(t, b.effects);
                }
            }
            if (t.repliedAt() < b.endExclusiveSec) {
                count(seen, FIRST_RESPONSE, bucket(firstResponseHours(t)), t);
            }
        }
    }

    static double doublingEffect(SimTicket t, Effects effects) {
        double hours = resolutionHours(t);
        double root2 = Math.sqrt(2.0);
        return effects.retentionProbability(hours * root2, t.agent(), t.normalisedChannel(), t.difficulty(),
                t.hardTopic())
                - effects.retentionProbability(hours / root2, t.agent(), t.normalisedChannel(), t.difficulty(),
                t.hardTopic());
    }

    /** The measured {@code speed_effect_per_doubling.resolution_time}; 0 without tickets. */
    double resolutionEffectPerDoubling() {
        return speedTickets == 0 ? 0.0 : speedSumDoublingEffect / speedTickets;
    }

    private void count(boolean[][] seen, int metric, int bucket, SimTicket t) {
        tickets[metric][bucket]++;
        sumProbability[metric][bucket] += t.retentionProbability();
        if (!seen[metric][bucket]) {
            seen[metric][bucket] = true;
            customers[metric][bucket]++;
        }
    }

    void merge(ExpectedRetention other) {
        for (int m = 0; m < METRICS.length; m++) {
            for (int i = 0; i < buckets(); i++) {
                tickets[m][i] += other.tickets[m][i];
                customers[m][i] += other.customers[m][i];
                sumProbability[m][i] += other.sumProbability[m][i];
            }
        }
        speedTickets += other.speedTickets;
        speedSumDoublingEffect += other.speedSumDoublingEffect;
        for (int c = 0; c < channelTickets.length; c++) {
            channelTickets[c] += other.channelTickets[c];
            channelSumProbability[c] += other.channelSumProbability[c];
        }
    }

    /** Mean planted retention probability of the channel's tickets; NaN when it has none. */
    double expectedChannelRetention(int channel) {
        long n = channelTickets[channel];
        return n == 0 ? Double.NaN : channelSumProbability[channel] / n;
    }

    /** Mean planted retention probability of the bucket's tickets; NaN when the bucket is empty. */
    double expectedRetention(int metric, int bucket) {
        long n = tickets[metric][bucket];
        return n == 0 ? Double.NaN : sumProbability[metric][bucket] / n;
    }
}
