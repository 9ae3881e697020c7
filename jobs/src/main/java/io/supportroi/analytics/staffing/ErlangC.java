package io.supportroi.analytics.staffing;

/**
 * The Erlang C queue (M/M/c): tickets arrive at rate {@code lambda}, each agent handles them at rate {@code mu}, and
 * {@code agents} agents work in parallel from one queue. Rates are per the same time unit (per hour here); waits
 * come back in that unit. A queue whose load reaches its agents ({@code lambda >= agents * mu}) never settles: its
 * waits are infinite, which the staffing scenarios report as such rather than as a number.
 *
 * <p>Computed through the Erlang B recursion, which stays within double range for hundreds of agents where the
 * textbook sum of {@code A^k / k!} overflows.
 */
public record ErlangC(double lambda, double mu, int agents) {

    public ErlangC {
        if (!(lambda >= 0) || !(mu > 0) || agents < 1) {
            throw new IllegalArgumentException("Erlang C needs lambda >= 0, mu > 0 and at least one agent: lambda="
                    + lambda + ", mu=" + mu + ", agents=" + agents);
        }
    }

    /** Offered load in Erlangs: how many agents the arrivals would keep busy all the time. */
    public double offeredLoad() {
        return lambda / mu;
    }

    public boolean stable() {
        return offeredLoad() < agents;
    }

    /** The probability that an arriving ticket waits for an agent at all. */
    public double probabilityOfWaiting() {
        if (!stable()) {
            return 1.0;
        }
        double a = offeredLoad();
        double b = 1.0;
        for (int k = 1; k <= agents; k++) {
            b = a * b / (k + a * b);
        }
        return agents * b / (agents - a * (1 - b));
    }

    /** The rate at which a waiting ticket's wait ends: the spare service capacity, {@code c mu - lambda}. */
    private double drain() {
        return agents * mu - lambda;
    }

    /** Mean wait in the queue before an agent picks a ticket up. */
    public double meanWait() {
        return stable() ? probabilityOfWaiting() / drain() : Double.POSITIVE_INFINITY;
    }

    /** {@code P(wait > t)}: waits beyond zero are exponential with rate {@code c mu - lambda}. */
    public double probabilityWaitExceeds(double t) {
        return stable() ? probabilityOfWaiting() * Math.exp(-drain() * t) : 1.0;
    }

    /** The wait that half the tickets exceed: zero when fewer than half wait at all. */
    public double medianWait() {
        return quantileWait(0.5);
    }

    /** The wait that a share {@code 1 - q} of tickets exceed. */
    public double quantileWait(double q) {
        if (!stable()) {
            return Double.POSITIVE_INFINITY;
        }
        double exceed = 1 - q;
        double pw = probabilityOfWaiting();
        return pw <= exceed ? 0.0 : Math.log(pw / exceed) / drain();
    }
}
