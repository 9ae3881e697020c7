package io.supportroi.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.supportroi.generate.Times.DAY;
import static io.supportroi.generate.Times.HOUR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The pure simulation core, one customer at a time: no Spark, no files. */
class CustomerSimulatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CUSTOMERS = 3000;

    private static List<CustomerHistory> simulateAll(Business b) {
        CustomerSimulator sim = new CustomerSimulator(b);
        List<CustomerHistory> out = new ArrayList<>(b.customers);
        for (int i = 0; i < b.customers; i++) {
            out.add(sim.simulate(i));
        }
        return out;
    }

    private static CustomerHistory find(List<CustomerHistory> all, Predicate<CustomerHistory> p) {
        return all.stream().filter(p).findFirst().orElseThrow(() -> new AssertionError("no such customer"));
    }

    private static List<StripeEvent.Invoice> invoiceEvents(CustomerHistory h, int invoice) {
        return h.stripeEvents.stream()
                .filter(e -> e instanceof StripeEvent.Invoice i && i.invoice() == invoice)
                .map(e -> (StripeEvent.Invoice) e)
                .toList();
    }

    private static JsonNode render(StripeEvent e, CustomerProfile c) throws Exception {
        StringBuilder sb = new StringBuilder();
        StripeJson.event(new JsonWriter(sb), e, c);
        return JSON.readTree(sb.toString());
    }

    @Test
    void card_failure_runs_dunning_then_a_winback_ticket_then_recovery_or_loss() throws Exception {
        Business b = TestBusinesses.business(CUSTOMERS, 12, 42,
                "{\"dunning_recovery_rate\": 0.0, \"support_recovery_rate\": 0.5}");
        List<CustomerHistory> all = simulateAll(b);
        for (CustomerHistory.FailedRenewal.Outcome outcome : List.of(
                CustomerHistory.FailedRenewal.Outcome.SUPPORT, CustomerHistory.FailedRenewal.Outcome.LOST)) {
            CustomerHistory h = find(all, c -> c.failedRenewals.stream().anyMatch(f -> f.outcome() == outcome
                    && f.renewalAt() + CustomerSimulator.LOST_AFTER < b.endExclusiveSec));
            int index = h.customer.index();
            CustomerHistory.FailedRenewal f = h.failedRenewals.stream().filter(x -> x.outcome() == outcome)
                    .findFirst().orElseThrow();
            long r = f.renewalAt();
            assertThat(Times.utcDayOfMonth(r)).isEqualTo(Business.RENEWAL_DAY);

            // Attempt 1 at the renewal, retries 3, 7 and 11 days later, each announcing the next; all inside 12 days.
            List<StripeEvent.Invoice> events = invoiceEvents(h, f.invoice());
            List<StripeEvent.Invoice> failed = events.stream().filter(e -> !e.paid()).toList();
            assertThat(failed).extracting(StripeEvent.Invoice::attempt).containsExactly(1, 2, 3, 4);
            assertThat(failed.get(0).created()).isEqualTo(r);
            for (int a = 1; a < 4; a++) {
                long at = failed.get(a).created();
                assertThat(at - r).isBetween(CustomerSimulator.RETRY_DAYS[a - 1] * DAY,
                        CustomerSimulator.RETRY_DAYS[a - 1] * DAY + 2 * HOUR);
                assertThat(failed.get(a - 1).nextAttemptAt()).isEqualTo(at);
            }
            assertThat(failed.get(3).nextAttemptAt()).isEqualTo(StripeEvent.Invoice.NO_RETRY);
            assertThat(failed).allSatisfy(e -> assertThat(e.created() - r).isLessThan(CustomerSimulator.DUNNING_WINDOW));

            // Day 12: support's outbound win-back ticket, routed like any ticket, by email.
            SimTicket ticket = h.tickets.stream().filter(t -> t.id() == f.winbackTicketId()).findFirst().orElseThrow();
            assertThat(ticket.kind()).isEqualTo(SimTicket.Kind.WINBACK);
            assertThat(ticket.rawChannel()).isEqualTo("email");
            assertThat(ticket.createdAt() - r).isBetween(12 * DAY, 12 * DAY + 6 * HOUR);
            assertThat(ticket.retentionProbability()).isEqualTo(0.5);
            assertThat((ticket.id() - 1) / b.ticketStride).isEqualTo(index);
            StringBuilder sb = new StringBuilder();
            ZendeskJson.ticket(new JsonWriter(sb), ticket, ZendeskJson.view(ticket, Long.MAX_VALUE), h.customer,
                    b.agents[ticket.agent()]);
            JsonNode zendesk = JSON.readTree(sb.toString());
            assertThat(zendesk.get("id").asLong()).isEqualTo(ticket.id());
            assertThat(zendesk.get("requester_id").asLong()).isEqualTo(10_000_000_000L + index);
            assertThat(zendesk.get("submitter_id").asLong()).isEqualTo(zendesk.get("assignee_id").asLong());
            assertThat(zendesk.at("/via/channel").asText()).isEqualTo("email");
            assertThat(zendesk.get("tags").toString()).isEqualTo("[\"winback\",\"outbound\"]");

            String invoiceId = String.format("in_R%010dI%03d", index, f.invoice());
            JsonNode firstFailure = render(failed.get(0), h.customer);
            assertThat(firstFailure.get("type").asText()).isEqualTo("invoice.payment_failed");
            assertThat(firstFailure.at("/data/object/id").asText()).isEqualTo(invoiceId);
            assertThat(firstFailure.get("id").asText()).matches("evt_R" + String.format("%010d", index) + "E\\d{4}");
            String subscription = String.format("sub_R%010d", index);
            if (failed.get(0).created() >= StripeJson.BASIL_FROM) {
                assertThat(firstFailure.get("api_version").asText()).isEqualTo("2025-03-31.basil");
                assertThat(firstFailure.at("/data/object/parent/subscription_details/subscription").asText())
                        .isEqualTo(subscription);
                assertThat(firstFailure.at("/data/object/subscription").isMissingNode()).isTrue();
            } else {
                assertThat(firstFailure.get("api_version").asText()).isEqualTo("2024-06-20");
                assertThat(firstFailure.at("/data/object/subscription").asText()).isEqualTo(subscription);
            }

            long windowEnd = ticket.createdAt() + b.horizonSec;
            if (outcome == CustomerHistory.FailedRenewal.Outcome.SUPPORT) {
                StripeEvent.Invoice paid = events.stream().filter(StripeEvent.Invoice::paid).findFirst().orElseThrow();
                assertThat(paid.attempt()).isEqualTo(CustomerSimulator.SUPPORT_PAID_ATTEMPT);
                assertThat(paid.created()).isGreaterThan(ticket.createdAt())
                        .isLessThanOrEqualTo(ticket.createdAt() + 14 * DAY);
                assertThat(h.orders).anyMatch(o -> o.kind() == SimOrder.Kind.RENEWAL_BOX
                        && o.createdAt() >= paid.created() && o.createdAt() < paid.created() + 10 * 60);
                assertThat(h.activeAt(windowEnd)).isTrue();
                assertThat(ticket.retained()).isTrue();
            } else {
                long endAt = r + CustomerSimulator.LOST_AFTER;
                assertThat(events).noneMatch(StripeEvent.Invoice::paid);
                assertThat(h.stripeEvents).filteredOn(e -> e instanceof StripeEvent.SubscriptionDeleted)
                        .singleElement()
                        .satisfies(e -> {
                            StripeEvent.SubscriptionDeleted d = (StripeEvent.SubscriptionDeleted) e;
                            assertThat(d.endedAt()).isEqualTo(endAt);
                            assertThat(d.reason()).isEqualTo("payment_failed");
                        });
                assertThat(h.subscriptionEndedAt).isEqualTo(endAt);
                assertThat(h.activeAt(windowEnd)).isFalse();
                assertThat(ticket.retained()).isFalse();
                // Gone: nothing the customer or the billing cycle starts happens afterwards.
                assertThat(h.orders).allMatch(o -> o.createdAt() < endAt);
                assertThat(h.tickets).allMatch(t -> t.createdAt() < endAt);
                assertThat(h.stripeEvents).filteredOn(e -> e instanceof StripeEvent.Invoice)
                        .allMatch(e -> e.created() < endAt);
            }
        }
    }

    @Test
    void dunning_recovers_within_twelve_days_without_support() {
        Business b = TestBusinesses.business(CUSTOMERS, 12, 42, "{\"dunning_recovery_rate\": 1.0}");
        List<CustomerHistory> all = simulateAll(b);
        long failures = 0;
        for (CustomerHistory h : all) {
            assertThat(h.tickets).noneMatch(t -> t.kind() == SimTicket.Kind.WINBACK);
            for (CustomerHistory.FailedRenewal f : h.failedRenewals) {
                failures++;
                assertThat(f.outcome()).isEqualTo(CustomerHistory.FailedRenewal.Outcome.DUNNING);
                StripeEvent.Invoice paid = invoiceEvents(h, f.invoice()).stream().filter(StripeEvent.Invoice::paid)
                        .findFirst().orElseThrow();
                assertThat(paid.attempt()).isBetween(2, 4);
                assertThat(paid.created() - f.renewalAt()).isLessThan(CustomerSimulator.DUNNING_WINDOW);
            }
        }
        assertThat(failures).isGreaterThan(50);
    }

    @Test
    void a_never_subscribers_retention_order_lands_inside_the_window_and_a_lost_one_never_returns() {
        Business b = TestBusinesses.business(CUSTOMERS, 12, 42, null);
        int retained = 0;
        int lost = 0;
        for (CustomerHistory h : simulateAll(b)) {
            if (h.customer.subscriber()) {
                continue;
            }
            assertThat(h.stripeEvents).isEmpty();
            for (SimTicket t : h.tickets) {
                long from = t.createdAt();
                long to = from + b.horizonSec;
                List<SimOrder> inWindow = h.orders.stream()
                        .filter(o -> o.createdAt() > from && o.createdAt() <= to).toList();
                if (t.retained()) {
                    retained++;
                    assertThat(inWindow).singleElement().satisfies(o -> {
                        assertThat(o.kind()).isEqualTo(SimOrder.Kind.RETENTION);
                        assertThat(o.createdAt()).isBetween(from + DAY, to - DAY);
                        assertThat(o.cancelled()).isFalse();
                    });
                } else {
                    lost++;
                    assertThat(inWindow).isEmpty();
                    assertThat(h.orders).allMatch(o -> o.createdAt() < from);
                    assertThat(h.tickets).allMatch(x -> x.createdAt() <= from);
                }
            }
        }
        assertThat(retained).isGreaterThan(50);
        assertThat(lost).isGreaterThan(10);
    }

    @Test
    void nothing_but_the_tickets_own_draw_happens_inside_its_window() {
        Business b = TestBusinesses.business(CUSTOMERS, 12, 42, null);
        long windows = 0;
        for (CustomerHistory h : simulateAll(b)) {
            for (SimTicket t : h.tickets) {
                windows++;
                long from = t.createdAt();
                long to = from + b.horizonSec + DAY;
                Predicate<Long> inside = x -> x > from && x <= to;
                assertThat(h.tickets).as("other tickets in the window of %d", t.id())
                        .noneMatch(x -> x != t && inside.test(x.createdAt()));
                assertThat(h.stripeEvents).as("failed payments in the window of %d", t.id())
                        .noneMatch(e -> e instanceof StripeEvent.Invoice i && !i.paid() && inside.test(i.created()));
                List<StripeEvent.SubscriptionDeleted> ends = h.stripeEvents.stream()
                        .filter(e -> e instanceof StripeEvent.SubscriptionDeleted d && inside.test(d.endedAt()))
                        .map(e -> (StripeEvent.SubscriptionDeleted) e).toList();
                if (!h.customer.subscriber() || t.retained()) {
                    assertThat(ends).as("subscription ends in the window of retained ticket %d", t.id()).isEmpty();
                } else if (t.kind() == SimTicket.Kind.WINBACK) {
                    assertThat(ends).singleElement().satisfies(d -> assertThat(d.reason()).isEqualTo("payment_failed"));
                } else {
                    assertThat(ends).singleElement().satisfies(d -> {
                        assertThat(d.reason()).isEqualTo("cancellation_requested");
                        assertThat(d.endedAt()).isBetween(from + DAY, from + b.horizonSec - DAY);
                    });
                }
                if (!h.customer.subscriber()) {
                    assertThat(h.orders).filteredOn(o -> inside.test(o.createdAt()))
                            .allMatch(o -> o.kind() == SimOrder.Kind.RETENTION)
                            .hasSize(t.retained() ? 1 : 0);
                }
            }
        }
        assertThat(windows).isGreaterThan(2000);
    }

    @Test
    void the_measured_outcome_of_every_uncensored_ticket_is_its_planted_draw() {
        Business b = TestBusinesses.business(CUSTOMERS, 12, 42, null);
        long checked = 0;
        for (CustomerHistory h : simulateAll(b)) {
            for (SimTicket t : h.tickets) {
                if (!ExpectedRetention.uncensored(t, b)) {
                    continue;
                }
                checked++;
                assertThat(TestBusinesses.retainedBySpec(h, t, b.horizonSec, true)).as("ticket %d", t.id())
                        .isEqualTo(t.retained())
                        .isEqualTo(TestBusinesses.retainedBySpec(h, t, b.horizonSec, false));
            }
        }
        assertThat(checked).isGreaterThan(1500);
    }

    @Test
    void a_customer_is_the_same_whatever_else_is_simulated_and_seeds_differ() {
        Business b = TestBusinesses.business(CUSTOMERS, 12, 42, null);
        CustomerHistory once = new CustomerSimulator(b).simulate(1234);
        CustomerSimulator other = new CustomerSimulator(b);
        for (int i = 0; i < 100; i++) {
            other.simulate(i);
        }
        CustomerHistory twice = other.simulate(1234);
        assertThat(twice.customer).isEqualTo(once.customer);
        assertThat(twice.tickets).isEqualTo(once.tickets);
        assertThat(twice.orders).isEqualTo(once.orders);
        assertThat(twice.stripeEvents).isEqualTo(once.stripeEvents);
        assertThat(twice.claims).isEqualTo(once.claims);

        CustomerHistory otherSeed = new CustomerSimulator(TestBusinesses.business(CUSTOMERS, 12, 43, null))
                .simulate(1234);
        assertThat(otherSeed.customer).isNotEqualTo(once.customer);
    }

    @Test
    void agent_multipliers_confounding_and_the_best_sellers_code_are_planted() {
        Business neutral = TestBusinesses.business(CUSTOMERS, 12, 42, null);
        String slow = neutral.agents[2].email();
        String seller = neutral.agents[4].email();
        Business b = TestBusinesses.business(CUSTOMERS, 12, 42, "{\"confounding\": 1.0, \"agents\": ["
                + "{\"agent_email\": \"" + slow + "\", \"churn_multiplier\": 2.0},"
                + "{\"agent_email\": \"" + seller + "\", \"best_seller\": true}]}");
        double sumDifficulty = 0;
        double sumLogResolution = 0;
        double sumProduct = 0;
        long n = 0;
        Map<String, Integer> codes = new HashMap<>();
        for (CustomerHistory h : simulateAll(b)) {
            for (SimTicket t : h.tickets) {
                if (t.kind() == SimTicket.Kind.WINBACK) {
                    continue;
                }
                double expected = b.effects.retentionProbability(ExpectedRetention.resolutionHours(t), t.agent(),
                        t.normalisedChannel(), t.difficulty(), t.hardTopic());
                assertThat(t.retentionProbability()).isEqualTo(expected);
                if (t.agent() == 2) {
                    double churn = (1 - b.effects.bandRetention(ExpectedRetention.resolutionHours(t)))
                            * b.effects.channelMultiplier(t.normalisedChannel()) * Math.exp(0.5 * t.difficulty())
                            * (t.hardTopic() ? b.effects.hardTicketChurnMultiplier() : 1.0);
                    assertThat(1 - t.retentionProbability()).isCloseTo(Math.min(1, 2.0 * churn),
                            within(1e-12));
                }
                double log = Math.log(t.fullResolutionMinutes());
                sumDifficulty += t.difficulty();
                sumLogResolution += log;
                sumProduct += t.difficulty() * log;
                n++;
            }
            for (SimOrder o : h.orders) {
                if (o.discountCode() != null) {
                    codes.merge(o.discountCode(), 1, Integer::sum);
                }
            }
        }
        // Difficult tickets take longer: the covariance of difficulty and log resolution time is clearly positive.
        double covariance = sumProduct / n - (sumDifficulty / n) * (sumLogResolution / n);
        assertThat(covariance).isGreaterThan(0.5);
        codes.remove(CustomerSimulator.WELCOME_CODE);
        String top = codes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertThat(top).isEqualTo(b.agents[4].discountCode());
    }

    @Test
    void hard_tickets_go_to_the_hard_ticket_agent_and_churn_more() {
        Business b = TestBusinesses.business(CUSTOMERS, 12, 42, null);
        int[] hardAgents = b.effects.hardTicketAgents();
        assertThat(hardAgents).hasSize(1);
        int hardAgent = hardAgents[0];
        long hard = 0;
        long hardToAgent = 0;
        long easy = 0;
        long easyToAgent = 0;
        for (CustomerHistory h : simulateAll(b)) {
            for (SimTicket t : h.tickets) {
                boolean isHard = t.kind() == SimTicket.Kind.WINBACK || t.hardTopic();
                if (isHard) {
                    hard++;
                    hardToAgent += t.agent() == hardAgent ? 1 : 0;
                } else {
                    easy++;
                    easyToAgent += t.agent() == hardAgent ? 1 : 0;
                }
                if (t.hardTopic()) {
                    double plain = b.effects.retentionProbability(ExpectedRetention.resolutionHours(t), t.agent(),
                            t.normalisedChannel(), t.difficulty(), false);
                    assertThat(1 - t.retentionProbability()).isCloseTo(Math.min(1, 2.0 * (1 - plain)), within(1e-12));
                }
            }
        }
        // 60% of hard tickets are routed to the agent, the rest uniformly: 0.6 + 0.4 / agents in all.
        double expected = 0.6 + 0.4 / b.agents.length;
        double share = (double) hardToAgent / hard;
        assertThat(share).isCloseTo(expected, within(4 * Math.sqrt(expected * (1 - expected) / hard)));
        assertThat((double) easyToAgent / easy).isCloseTo(1.0 / b.agents.length,
                within(4 * Math.sqrt(1.0 / b.agents.length / easy)));
    }

    @Test
    void the_only_purchase_in_an_outreachs_conversion_window_is_its_conversion() {
        Business b = TestBusinesses.business(CUSTOMERS, 12, 42, null);
        long window = CustomerSimulator.UPSELL_WINDOW;
        long upsells = 0;
        long winbacks = 0;
        PnlTruth truth = new PnlTruth(b.calendarMonths);
        long upsellRevenue = 0;
        for (CustomerHistory h : simulateAll(b)) {
            truth.add(h, b);
            for (SimTicket t : h.tickets) {
                if (t.kind() == SimTicket.Kind.REACTIVE) {
                    continue;
                }
                List<SimOrder> inWindow = h.orders.stream().filter(o -> !o.cancelled()
                        && o.createdAt() > t.createdAt() && o.createdAt() <= t.createdAt() + window).toList();
                assertThat(inWindow).as("purchases in the window of ticket " + t.id()).hasSizeLessThanOrEqualTo(1);
                if (inWindow.isEmpty()) {
                    continue;
                }
                SimOrder o = inWindow.get(0);
                if (t.kind() == SimTicket.Kind.UPSELL) {
                    assertThat(o.kind()).isEqualTo(SimOrder.Kind.UPSELL_BOX);
                    upsells++;
                    if (o.createdAt() < b.endExclusiveSec) {
                        upsellRevenue += o.totalCents();
                    }
                } else {
                    assertThat(o.kind()).isEqualTo(SimOrder.Kind.RENEWAL_BOX);
                    assertThat(h.failedRenewals).anyMatch(f -> f.winbackTicketId() == t.id()
                            && f.outcome() == CustomerHistory.FailedRenewal.Outcome.SUPPORT);
                    winbacks++;
                }
            }
        }
        assertThat(upsells).isGreaterThan(100);
        assertThat(winbacks).isGreaterThan(10);
        assertThat(java.util.Arrays.stream(truth.upsellRevenue).sum()).isEqualTo(upsellRevenue);
        assertThat(java.util.Arrays.stream(truth.winbackRevenue).sum()).isPositive();
    }

    @Test
    void resolution_times_fill_every_speed_bucket() {
        Business b = TestBusinesses.business(CUSTOMERS, 12, 42, null);
        ExpectedRetention e = new ExpectedRetention(b.bucketBoundsHours);
        long[] perBucket = new long[e.buckets()];
        long total = 0;
        for (CustomerHistory h : simulateAll(b)) {
            for (SimTicket t : h.tickets) {
                perBucket[e.bucket(ExpectedRetention.resolutionHours(t))]++;
                total++;
                assertThat(t.replyMinutes()).isBetween(0L, t.fullResolutionMinutes());
                assertThat(t.firstResolutionMinutes()).isBetween(t.replyMinutes(), t.fullResolutionMinutes());
            }
        }
        for (long n : perBucket) {
            assertThat((double) n / total).isGreaterThanOrEqualTo(0.10);
        }
    }
}
