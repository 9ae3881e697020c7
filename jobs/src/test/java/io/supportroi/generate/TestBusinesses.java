package io.supportroi.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.supportroi.config.Settings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;

/** Businesses for the core tests, built without Spark or files. */
final class TestBusinesses {
    private TestBusinesses() {}

    static final LocalDate START = LocalDate.of(2025, 1, 1);

    static Business business(int customers, int months, long seed, String effectsOverride) {
        GeneratorOptions options = new GeneratorOptions("unused", customers, months, START, seed, null);
        AgentProfile[] agents = Business.agents(seed, customers);
        try {
            Effects effects = Effects.resolve(Business.emails(agents), Business.defaultBestSeller(seed, agents.length),
                    effectsOverride == null ? null : new ObjectMapper().readTree(effectsOverride));
            return Business.create(options, Settings.defaults().analytics(), effects);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * SPEC §4 evaluated on the simulator's own Stripe events and orders: retained at H when a subscription is active
     * at created_at + H, or, for a customer who never subscribed by then, when an order falls in (t, t + H].
     */
    static boolean retainedBySpec(CustomerHistory h, SimTicket t, long horizonSec, boolean countCancelledOrders) {
        long until = t.createdAt() + horizonSec;
        long started = -1;
        long ended = Long.MAX_VALUE;
        for (StripeEvent e : h.stripeEvents) {
            if (e instanceof StripeEvent.SubscriptionCreated sc) {
                started = sc.startedAt();
            } else if (e instanceof StripeEvent.SubscriptionDeleted sd) {
                ended = sd.endedAt();
            }
        }
        if (started >= 0 && started <= until) {
            return until < ended;
        }
        for (SimOrder o : h.orders) {
            if (o.createdAt() > t.createdAt() && o.createdAt() <= until && (countCancelledOrders || !o.cancelled())) {
                return true;
            }
        }
        return false;
    }
}
