package io.supportroi.generate;

import io.supportroi.config.BadInput;
import io.supportroi.config.Settings;

import java.io.IOException;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Everything about the simulated business that is the same for every customer: calendar, agents, planted effects,
 * id strides. Built once on the driver and shipped to the tasks; a customer's history is a pure function of this and
 * the customer's index.
 */
final class Business implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Customers per chunk: fixed, so file names and contents do not depend on the number of cores. */
    static final int CHUNK_CUSTOMERS = 2_500;
    static final int MIN_AGENTS = 6;
    static final int CUSTOMERS_PER_AGENT = 2_000;
    /** Customers whose tickets (about 0.08 per customer and month: some 1,500 a month) keep one agent busy. */
    static final int CUSTOMERS_PER_FULL_TIME_AGENT = 20_000;
    /** Add-on orders with an agent's code: the best seller's code is this many times as likely as another's. */
    static final double BEST_SELLER_CODE_WEIGHT = 8.0;
    /** Renewals run on this day of the month; sign-ups from this day on have missed the upcoming box. */
    static final int RENEWAL_DAY = 15;
    static final int MIN_HORIZON_DAYS = 30;

    final long seed;
    final int customers;
    final int months;
    final LocalDate start;
    final LocalDate end;
    final long startSec;
    /** Midnight after the last simulated day: nothing at or after it is written (as-of = end of {@code end}). */
    final long endExclusiveSec;
    final int horizonDays;
    final long horizonSec;
    final double[] bucketBoundsHours;
    final Effects effects;
    final AgentProfile[] agents;
    final double[] agentCodeCumulativeWeights;
    final int[] hardTicketAgents;
    /** Where {@link Effects.Routing#BY_TOPIC} sends the hard tickets. */
    final int slowestAgent;
    final YearMonth firstMonth;
    /** Calendar months overlapping {@code [start, end]}. */
    final int calendarMonths;
    /** Midnight UTC of the 1st of calendar month k, for k in 0..calendarMonths. */
    final long[] monthStartSec;
    /** Midnight UTC of the renewal day of calendar month k, for k in 0..calendarMonths+2 (periods run past the end). */
    final long[] renewalDaySec;
    final int ticketStride;
    final int orderStride;
    /** How the tickets, orders and subscriptions are written; the simulation itself never looks at these. */
    final GeneratorOptions.Helpdesk helpdesk;
    final GeneratorOptions.Shop shop;
    final GeneratorOptions.Billing billing;
    /** With {@link GeneratorOptions.Helpdesk#BOTH}: tickets created at or after this instant are in Gorgias. */
    final long helpdeskSwitchSec;
    final LocalDate helpdeskSwitchDate;
    final boolean dirty;
    /**
     * Mail domains whose {@code +tag} the pipeline strips (its identity settings): a dirty export adds +tags only
     * there, since on any other domain a +tag names a different mailbox and would be a different customer.
     */
    final List<String> plusTagDomains;

    private Business(GeneratorOptions options, Settings.AnalyticsSettings analytics,
                     Settings.IdentitySettings identity, AgentProfile[] agents, Effects effects) {
        long seed = options.seed();
        int customers = options.customers();
        int months = options.months();
        LocalDate start = options.start();
        this.helpdesk = options.helpdesk();
        this.helpdeskSwitchDate = options.helpdeskSwitchDate();
        this.helpdeskSwitchSec = switch (helpdesk) {
            case ZENDESK, CSV -> Long.MAX_VALUE;
            case GORGIAS -> Long.MIN_VALUE;
            case BOTH -> Times.epochSecond(helpdeskSwitchDate);
        };
        this.shop = options.shop();
        this.billing = options.billing();
        this.dirty = options.dirty();
        this.plusTagDomains = List.copyOf(identity.plusTagDomains());
        this.seed = seed;
        this.customers = customers;
        this.months = months;
        this.start = start;
        this.end = start.plusMonths(months).minusDays(1);
        this.startSec = Times.epochSecond(start);
        this.endExclusiveSec = Times.epochSecond(end.plusDays(1));
        this.horizonDays = analytics.retentionHorizonDays();
        // A lost win-back ends 14 days after its ticket and a converted upsell order may come 14 days after its
        // ticket; both must fall inside the horizon for the planted outcome to be the measured one.
        if (horizonDays < MIN_HORIZON_DAYS) {
            throw new BadInput("the generator needs a retention horizon of at least "
                    + MIN_HORIZON_DAYS + " days, got " + horizonDays);
        }
        this.horizonSec = horizonDays * Times.DAY;
        this.bucketBoundsHours = analytics.speedBucketBoundsHours().stream().mapToDouble(Double::doubleValue).toArray();
        this.agents = agents;
        this.effects = effects;
        this.hardTicketAgents = effects.hardTicketAgents();
        this.slowestAgent = slowestAgent(agents);
        this.agentCodeCumulativeWeights = new double[agents.length];
        double total = 0;
        for (int i = 0; i < agents.length; i++) {
            total += effects.agents().get(i).bestSeller() ? BEST_SELLER_CODE_WEIGHT : 1.0;
            agentCodeCumulativeWeights[i] = total;
        }
        this.firstMonth = YearMonth.from(start);
        this.calendarMonths = (int) (YearMonth.from(end).getYear() * 12L + YearMonth.from(end).getMonthValue()
                - firstMonth.getYear() * 12L - firstMonth.getMonthValue()) + 1;
        this.monthStartSec = new long[calendarMonths + 1];
        for (int k = 0; k <= calendarMonths; k++) {
            monthStartSec[k] = Times.epochSecond(firstMonth.plusMonths(k).atDay(1));
        }
        this.renewalDaySec = new long[calendarMonths + 3];
        for (int k = 0; k < renewalDaySec.length; k++) {
            renewalDaySec[k] = Times.epochSecond(firstMonth.plusMonths(k).atDay(RENEWAL_DAY));
        }
        // At most one reactive ticket per month plus one win-back per month plus the welcome outreach.
        this.ticketStride = 2 * calendarMonths + 2;
        // Per month at most one box, one add-on or shop order and one retention order; plus sign-up and upsell.
        this.orderStride = 4 * calendarMonths + 4;
    }

    static Business create(GeneratorOptions options, Settings.AnalyticsSettings analytics,
                           Settings.IdentitySettings identity) throws IOException {
        AgentProfile[] agents = agents(options.seed(), options.customers());
        Effects effects = Effects.load(emails(agents), defaultBestSeller(options.seed(), agents.length),
                options.effectsFile());
        return new Business(options, analytics, identity, plantedAtMeanSpeed(agents, effects), effects);
    }

    /** For tests and tools that already hold resolved effects. */
    static Business create(GeneratorOptions options, Settings.AnalyticsSettings analytics, Effects effects) {
        AgentProfile[] agents = agents(options.seed(), options.customers());
        return new Business(options, analytics, Settings.defaults().identity(), plantedAtMeanSpeed(agents, effects),
                effects);
    }

    /** With a Zendesk or Gorgias helpdesk: whether a ticket created at {@code createdAt} is written to Zendesk. */
    boolean inZendesk(long createdAt) {
        return createdAt < helpdeskSwitchSec;
    }

    static int agentCount(int customers) {
        return Math.max(MIN_AGENTS, customers / CUSTOMERS_PER_AGENT);
    }

    /** The agent whose code customers use most, unless the effects say otherwise: chosen by the seed. */
    static int defaultBestSeller(long seed, int agentCount) {
        return (int) Math.floorMod(Rng.mix(seed, Rng.BEST_SELLER_STREAM), (long) agentCount);
    }

    static List<String> emails(AgentProfile[] agents) {
        List<String> out = new ArrayList<>(agents.length);
        for (AgentProfile a : agents) {
            out.add(a.email());
        }
        return out;
    }

    /**
     * The agents of a business this size. Their monthly cost is a full-time salary times the share of their time the
     * business's tickets take: a small shop's six agents are part-time (or shared with other work), so the P&L of a
     * small generated business is not swamped by six full salaries for a few hundred tickets a month.
     */
    static AgentProfile[] agents(long seed, int customers) {
        int count = agentCount(customers);
        double workload = Math.min(1.0, (double) customers / ((double) count * CUSTOMERS_PER_FULL_TIME_AGENT));
        SplittableRandom rng = Rng.forStream(seed, Rng.AGENT_STREAM);
        AgentProfile[] out = new AgentProfile[count];
        int distinctPairs = Names.AGENT_FIRST.length * Names.AGENT_LAST.length;
        for (int i = 0; i < count; i++) {
            String first = Names.agentFirst(i);
            String last = Names.agentLast(i);
            String suffix = i < distinctPairs ? "" : Integer.toString(i / distinctPairs + 1);
            String email = first.toLowerCase() + "." + last.toLowerCase() + suffix + "@" + AgentProfile.EMAIL_DOMAIN;
            // Agents differ a lot in speed (a factor of ~2 either way): that spread is what identifies the effect.
            double speed = clamp(StrictMath.exp(0.4 * rng.nextGaussian()), 0.5, 2.0);
            double quality = clamp(1.0 + 0.1 * rng.nextGaussian(), 0.75, 1.25);
            long monthlyCost = Math.round((350_000 + 5_000L * rng.nextInt(35)) * workload);
            out[i] = new AgentProfile(i, Ids.zendeskAgent(i), first + " " + last, email, i % AgentProfile.TEAMS.length,
                    monthlyCost, first.toUpperCase() + (i + 1), speed, quality, 1.0);
        }
        // Drawn after the rest, so the agents' other traits are those of earlier versions for the same seed. Wider
        // than resolution speed: a first reply of a minute or two (chat, phone) is written in whole minutes, which
        // blurs the differences between agents there.
        for (int i = 0; i < count; i++) {
            out[i] = out[i].withSpeeds(out[i].speedFactor(), clamp(StrictMath.exp(0.6 * rng.nextGaussian()), 0.3, 3.0));
        }
        return out;
    }

    /**
     * The agents with a planted role (a churn multiplier other than 1, or the hard tickets) work at the neutral
     * agents' geometric mean speed. Their customers churn more for reasons other than speed; were they also fast or
     * slow, the agent would move retention other than through speed, and an instrument built on the agent would
     * credit speed with it (the exclusion restriction of SPEC §8 would fail by construction, not by data).
     */
    static AgentProfile[] plantedAtMeanSpeed(AgentProfile[] agents, Effects effects) {
        double logSpeed = 0;
        double logReply = 0;
        int neutral = 0;
        for (int i = 0; i < agents.length; i++) {
            if (!planted(effects.agents().get(i))) {
                logSpeed += StrictMath.log(agents[i].speedFactor());
                logReply += StrictMath.log(agents[i].replySpeedFactor());
                neutral++;
            }
        }
        if (neutral == 0) {
            return agents;
        }
        double speed = StrictMath.exp(logSpeed / neutral);
        double reply = StrictMath.exp(logReply / neutral);
        AgentProfile[] out = agents.clone();
        for (int i = 0; i < out.length; i++) {
            if (planted(effects.agents().get(i))) {
                out[i] = out[i].withSpeeds(speed, reply);
            }
        }
        return out;
    }

    private static boolean planted(Effects.AgentEffect e) {
        return e.churnMultiplier() != 1.0 || e.hardTickets();
    }

    /** The agent with the largest speed factor (the slowest); the lowest index among equals. */
    static int slowestAgent(AgentProfile[] agents) {
        int slowest = 0;
        for (int i = 1; i < agents.length; i++) {
            if (agents[i].speedFactor() > agents[slowest].speedFactor()) {
                slowest = i;
            }
        }
        return slowest;
    }

    int chunks() {
        return (customers + CHUNK_CUSTOMERS - 1) / CHUNK_CUSTOMERS;
    }

    int chunkFirstCustomer(int chunk) {
        return chunk * CHUNK_CUSTOMERS;
    }

    int chunkEndCustomer(int chunk) {
        return (int) Math.min((long) customers, (long) (chunk + 1) * CHUNK_CUSTOMERS);
    }

    /** Calendar month index (0 = the month of {@code start}) of an instant inside the simulated period. */
    int monthIndex(long epochSecond) {
        int k = 0;
        while (k + 1 < monthStartSec.length && monthStartSec[k + 1] <= epochSecond) {
            k++;
        }
        return k;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
