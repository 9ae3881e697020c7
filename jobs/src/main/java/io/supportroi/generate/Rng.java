package io.supportroi.generate;

import java.util.SplittableRandom;

/**
 * Random streams. Each customer gets its own generator seeded from (seed, customer index), so a customer's history
 * does not depend on which chunk, task or core simulated it, nor on any other customer.
 */
final class Rng {
    private Rng() {}

    /** Streams that are not customers use negative indices so they never coincide with one. */
    static final long AGENT_STREAM = -1;
    static final long BEST_SELLER_STREAM = -2;

    static SplittableRandom forStream(long seed, long stream) {
        return new SplittableRandom(mix(seed, stream));
    }

    /** SplitMix64's finaliser over a combination of both inputs: neighbouring indices give unrelated seeds. */
    static long mix(long seed, long stream) {
        long z = seed * 0x9E3779B97F4A7C15L + stream * 0xD1B54A32D192ED03L + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in {@code [from, from + length)}; {@code length} must be positive. */
    static long between(SplittableRandom rng, long from, long length) {
        return from + rng.nextLong(length);
    }

    /** Index drawn with probability proportional to {@code weights} (which need not sum to 1). */
    static int weighted(SplittableRandom rng, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double u = rng.nextDouble() * total;
        for (int i = 0; i < weights.length - 1; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** Index into a cumulative weight table (last entry = total), by binary search: used for many agents. */
    static int cumulative(SplittableRandom rng, double[] cumulativeWeights) {
        double u = rng.nextDouble() * cumulativeWeights[cumulativeWeights.length - 1];
        int lo = 0;
        int hi = cumulativeWeights.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (u < cumulativeWeights[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
