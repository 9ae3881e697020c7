package io.supportroi.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.supportroi.generate.Times.DAY;
import static io.supportroi.generate.Times.HOUR;
import static io.supportroi.generate.Times.MINUTE;

/**
 * The pure simulation core: one customer's whole history from the business and the customer's index, no Spark, no
 * I/O. Deterministic: the customer's random stream is seeded from (seed, index) only, and the exponentials and
 * logarithms computed here go through {@link StrictMath}, whose results are specified bit for bit, rather than
 * {@link Math}, whose intrinsics may round differently on another CPU and move a resolution time by a minute.
 *
 * <p>The planted retention effect is exact because of busy windows. A ticket at t decides, with its planted
 * probability p, whether the customer is retained at t + H; from t to t + H + 1 day nothing else may change that
 * outcome: no baseline churn, no card failure, no repeat order of a shop-only customer, no other reactive ticket. A
 * subscriber not retained cancels at t + U(1 day, H - 1 day); a shop-only customer retained orders exactly once at
 * t + U(1 day, H - 1 day), one not retained never comes back. A card failure blocks the 27 days of its dunning and
 * win-back process; the win-back ticket then opens a window of its own whose outcome is the support recovery draw.
 */
final class CustomerSimulator {

    static final double P_SUBSCRIBER = 0.75;
    /** Monthly chance that a customer writes in (only counted outside busy windows). */
    static final double P_TICKET_PER_MONTH = 0.15;
    static final double P_ADD_ON_PER_MONTH = 0.08;
    static final double P_REPEAT_ORDER_PER_MONTH = 0.25;
    /** At a renewal outside a busy window: cancel at period end, or the card fails. */
    static final double P_BASELINE_CHURN = 0.02;
    static final double P_CARD_FAILURE = 0.06;

    /** Dunning: Stripe retries 3, 7 and 11 days after the failed renewal (attempts 2-4), all inside 12 days. */
    static final int[] RETRY_DAYS = {3, 7, 11};
    static final long DUNNING_WINDOW = 12 * DAY;
    /** A subscription still unpaid this long after the failed renewal is cancelled with reason payment_failed. */
    static final long LOST_AFTER = 26 * DAY;
    static final long FAILURE_BUSY = 27 * DAY;
    /** Support's win-back payments land within this long after the ticket (the recovery window is 14 days). */
    static final long SUPPORT_PAYMENT_WITHIN = 13 * DAY;
    static final int SUPPORT_PAID_ATTEMPT = 5;
    static final long UPSELL_CONTACT_WITHIN = 2 * DAY;
    static final long UPSELL_WINDOW = 14 * DAY;

    /** Resolution time of a typical ticket: lognormal, median 6 hours, wide enough to fill every speed bucket. */
    static final double MEDIAN_RESOLUTION_MINUTES = 360;
    static final double SIGMA_RESOLUTION = 2.0;
    static final double SIGMA_REPLY = 1.4;
    /** Slow tickets tend to wait longer for a first reply too. */
    static final double REPLY_CORRELATION = 0.5;
    /** How much one standard deviation of difficulty stretches resolution (log scale), times {@code confounding}. */
    static final double CONFOUNDING_SLOWDOWN = 0.8;
    static final long MAX_RESOLUTION_MINUTES = 45L * 24 * 60;
    static final double P_REOPEN = 0.08;
    static final double P_SECOND_REOPEN = 0.2;
    static final double P_ON_HOLD = 0.05;
    static final double P_RATED = 0.35;
    static final double P_OFFERED_UNANSWERED = 0.35;
    static final double[] UNSOLVED_STATUS_WEIGHTS = {0.45, 0.45, 0.10};

    static final double P_AGENT_CODE = 0.2;
    static final long AGENT_CODE_PERCENT = 15;
    static final double P_WELCOME_CODE = 0.3;
    static final String WELCOME_CODE = "WELCOME10";
    static final long WELCOME_CODE_PERCENT = 10;
    static final double P_CANCEL = 0.015;
    static final double P_SHOP_REFUND = 0.05;
    static final double P_STRIPE_REFUND = 0.02;
    static final double P_SECOND_STRIPE_REFUND = 0.25;
    static final double P_CLAIM = 0.006;
    static final double P_CLAIM_RECOVERED = 0.75;
    static final String[] CARRIERS = {"USPS", "UPS", "FedEx", "DHL"};

    static final String[] TOPICS = {"where_is_my_order", "damaged_item", "billing_question", "subscription_change",
            "product_question", "return_request", "address_change", "account_access"};
    static final String[] SUBJECTS = {"Where is my order?", "My box arrived damaged",
            "Question about a charge on my card", "Can I skip or change my box?",
            "Question about this month's products", "How do I return an item?",
            "Please update my shipping address", "I can't log in to my account"};
    static final double[] TOPIC_WEIGHTS = {0.24, 0.12, 0.12, 0.14, 0.14, 0.10, 0.08, 0.06};
    /** Topics whose customers churn more whatever the agent does; the topic is a tag, so the churn model sees it. */
    static final java.util.Set<String> HARD_TOPICS = java.util.Set.of("damaged_item", "billing_question",
            "return_request");
    static final String[] FEEDBACK = {"too_expensive", "unused", "switched_service", "customer_service",
            "low_quality", "other"};

    private final Business b;

    CustomerSimulator(Business business) {
        this.b = business;
    }

    CustomerHistory simulate(int index) {
        if (index < 0 || index >= b.customers) {
            throw new IllegalArgumentException("customer " + index + " outside 0.." + (b.customers - 1));
        }
        SplittableRandom rng = Rng.forStream(b.seed, index);
        return new Run(profile(index, rng), rng).run();
    }

    private CustomerProfile profile(int index, SplittableRandom rng) {
        int first = rng.nextInt(Names.FIRST.length);
        int last = rng.nextInt(Names.LAST.length);
        int domain = Rng.weighted(rng, Names.DOMAIN_WEIGHTS);
        // The index makes the address unique; the sources all carry it exactly like this (clean, lower-case).
        String email = Names.FIRST_FOLDED[first] + "." + Names.LAST_FOLDED[last] + index + "@" + Names.DOMAINS[domain];
        boolean subscriber = rng.nextDouble() < P_SUBSCRIBER;
        long signupAt = Rng.between(rng, b.startSec, b.endExclusiveSec - b.startSec);
        long renewalOffset = 8 * HOUR + rng.nextLong(4 * HOUR);
        return new CustomerProfile(index, Names.FIRST[first], Names.LAST[last], email, subscriber, signupAt,
                renewalOffset);
    }

    /** One customer's run: mutable state of the simulation, consumed once. */
    private final class Run {
        private static final int RENEWAL = 0;
        private static final int TICKET = 1;
        private static final int ORDER = 2;
        private static final long NONE = -1;

        final CustomerProfile c;
        final SplittableRandom rng;
        final CustomerHistory h;
        final Effects e = b.effects;

        /** No churn of any kind, no reactive ticket and no shop-only repeat order up to and including this instant. */
        long busyUntil = Long.MIN_VALUE;
        /** Nothing the customer starts happens at or after this instant. */
        long goneAt = CustomerHistory.NEVER;
        /** A subscriber who decided to cancel buys nothing more. */
        boolean leaving;
        /** Keeps other purchases out of a welcome outreach's conversion window, so conversions are exactly the draws. */
        long noAddOnsUntil = Long.MIN_VALUE;
        int firstRenewalMonth;
        int ticketSeq;
        int orderSeq;
        int eventSeq;
        int invoiceSeq;

        Run(CustomerProfile c, SplittableRandom rng) {
            this.c = c;
            this.rng = rng;
            this.h = new CustomerHistory(c);
        }

        CustomerHistory run() {
            int signupMonth = b.monthIndex(c.signupAt());
            if (c.subscriber()) {
                boolean afterCutOff = Times.utcDayOfMonth(c.signupAt()) >= Business.RENEWAL_DAY;
                // Before the cut-off the sign-up payment buys this month's box; after it, the sign-up payment buys
                // next month's box and the upcoming one is missed: that is what the welcome outreach offers.
                firstRenewalMonth = signupMonth + (afterCutOff ? 2 : 1);
                subscribe();
                if (afterCutOff) {
                    welcomeUpsell();
                }
            } else {
                order(SimOrder.Kind.FIRST_PURCHASE, c.signupAt());
            }
            for (int k = signupMonth; k < b.calendarMonths; k++) {
                month(k);
            }
            return h;
        }

        private void month(int k) {
            long from = Math.max(b.monthStartSec[k], b.startSec);
            long to = Math.min(b.monthStartSec[k + 1], b.endExclusiveSec);
            long[] at = {NONE, NONE, NONE};
            if (rng.nextDouble() < P_TICKET_PER_MONTH) {
                at[TICKET] = Rng.between(rng, from, to - from);
            }
            if (rng.nextDouble() < (c.subscriber() ? P_ADD_ON_PER_MONTH : P_REPEAT_ORDER_PER_MONTH)) {
                at[ORDER] = Rng.between(rng, from, to - from);
            }
            if (c.subscriber() && k >= firstRenewalMonth) {
                long r = renewalAt(k);
                if (r >= from && r < to) {
                    at[RENEWAL] = r;
                }
            }
            // Process the month's candidates in time order: an early ticket's window covers a later renewal.
            int[] order = {RENEWAL, TICKET, ORDER};
            for (int i = 1; i < order.length; i++) {
                for (int j = i; j > 0 && at[order[j]] < at[order[j - 1]]; j--) {
                    int tmp = order[j];
                    order[j] = order[j - 1];
                    order[j - 1] = tmp;
                }
            }
            for (int what : order) {
                long t = at[what];
                if (t == NONE) {
                    continue;
                }
                switch (what) {
                    case RENEWAL -> renewal(k, t);
                    case TICKET -> reactiveTicket(t);
                    default -> spontaneousOrder(t);
                }
            }
        }

        private long renewalAt(int month) {
            return b.renewalDaySec[month] + c.renewalOffsetSec();
        }

        private void subscribe() {
            long t = c.signupAt();
            h.subscriptionStartedAt = t;
            h.stripeEvents.add(new StripeEvent.CustomerCreated(eventSeq++, t));
            long anchor = renewalAt(firstRenewalMonth);
            h.stripeEvents.add(new StripeEvent.SubscriptionCreated(eventSeq++, t + 1, t, anchor));
            paidInvoice(invoiceSeq, "subscription_create", t + 1, t + 2 + rng.nextLong(30), 1, t, anchor,
                    SimOrder.Kind.SIGNUP_BOX);
        }

        private void renewal(int k, long r) {
            if (r >= h.subscriptionEndedAt || r >= goneAt) {
                return;
            }
            long periodEnd = renewalAt(k + 1);
            if (r <= busyUntil) {
                paidInvoice(++invoiceSeq, "subscription_cycle", r, r + 60 + rng.nextLong(600), 1, r, periodEnd,
                        SimOrder.Kind.RENEWAL_BOX);
                return;
            }
            double u = rng.nextDouble();
            if (u < P_BASELINE_CHURN) {
                // Cancelled some days before, effective at period end: Stripe deletes the subscription at renewal.
                long canceledAt = Math.max(Math.max(c.signupAt() + HOUR, busyUntil + 1),
                        r - DAY - rng.nextLong(9 * DAY));
                endSubscription(r, canceledAt, "cancellation_requested", FEEDBACK[rng.nextInt(FEEDBACK.length)]);
            } else if (u < P_BASELINE_CHURN + P_CARD_FAILURE) {
                cardFailure(++invoiceSeq, r, periodEnd);
            } else {
                paidInvoice(++invoiceSeq, "subscription_cycle", r, r + 60 + rng.nextLong(600), 1, r, periodEnd,
                        SimOrder.Kind.RENEWAL_BOX);
            }
        }

        private void cardFailure(int invoice, long r, long periodEnd) {
            busyUntil = Math.max(busyUntil, r + FAILURE_BUSY);
            long[] attemptAt = new long[RETRY_DAYS.length + 1];
            attemptAt[0] = r;
            for (int i = 0; i < RETRY_DAYS.length; i++) {
                attemptAt[i + 1] = r + RETRY_DAYS[i] * DAY + rng.nextLong(2 * HOUR);
            }
            long price = Catalog.BOX.priceCents();
            if (rng.nextDouble() < e.dunningRecoveryRate()) {
                int paidAttempt = 2 + rng.nextInt(RETRY_DAYS.length);
                for (int a = 1; a < paidAttempt; a++) {
                    h.stripeEvents.add(new StripeEvent.Invoice(eventSeq++, attemptAt[a - 1], false, invoice,
                            "subscription_cycle", price, a, attemptAt[a], r, r, periodEnd));
                }
                long paidAt = attemptAt[paidAttempt - 1];
                paidInvoice(invoice, "subscription_cycle", r, paidAt, paidAttempt, r, periodEnd,
                        SimOrder.Kind.RENEWAL_BOX);
                h.failedRenewals.add(new CustomerHistory.FailedRenewal(invoice, r,
                        CustomerHistory.FailedRenewal.Outcome.DUNNING, paidAt,
                        CustomerHistory.FailedRenewal.NO_TICKET));
                return;
            }
            for (int a = 1; a <= attemptAt.length; a++) {
                long next = a < attemptAt.length ? attemptAt[a] : StripeEvent.Invoice.NO_RETRY;
                h.stripeEvents.add(new StripeEvent.Invoice(eventSeq++, attemptAt[a - 1], false, invoice,
                        "subscription_cycle", price, a, next, r, r, periodEnd));
            }
            // Dunning is over: support gets the customer on its win-back list and writes to them.
            long ticketAt = r + DUNNING_WINDOW + rng.nextLong(6 * HOUR);
            SimTicket ticket = ticket(ticketAt, SimTicket.Kind.WINBACK);
            busyUntil = Math.max(busyUntil, ticketAt + b.horizonSec + DAY);
            // A customer whose card keeps failing buys nothing else until it is settled, so the only purchase in the
            // win-back's conversion window is the recovered box: the P&L's win-back revenue is exactly that.
            noAddOnsUntil = Math.max(noAddOnsUntil, ticketAt + UPSELL_WINDOW);
            if (ticket.retained()) {
                long paidAt = ticketAt + HOUR + rng.nextLong(SUPPORT_PAYMENT_WITHIN);
                paidInvoice(invoice, "subscription_cycle", r, paidAt, SUPPORT_PAID_ATTEMPT, r, periodEnd,
                        SimOrder.Kind.RENEWAL_BOX);
                h.failedRenewals.add(new CustomerHistory.FailedRenewal(invoice, r,
                        CustomerHistory.FailedRenewal.Outcome.SUPPORT, paidAt, ticket.id()));
            } else {
                long endAt = r + LOST_AFTER;
                endSubscription(endAt, endAt, "payment_failed", null);
                h.failedRenewals.add(new CustomerHistory.FailedRenewal(invoice, r,
                        CustomerHistory.FailedRenewal.Outcome.LOST, endAt, ticket.id()));
            }
        }

        private void welcomeUpsell() {
            long t = c.signupAt() + HOUR + rng.nextLong(UPSELL_CONTACT_WITHIN - HOUR);
            SimTicket ticket = ticket(t, SimTicket.Kind.UPSELL);
            busyUntil = Math.max(busyUntil, t + b.horizonSec + DAY);
            noAddOnsUntil = t + UPSELL_WINDOW;
            boolean converted = rng.nextDouble() < e.upsellConversionRate();
            long orderAt = NONE;
            long orderId = NONE;
            if (converted) {
                orderAt = t + HOUR + rng.nextLong(UPSELL_WINDOW - 2 * HOUR);
                orderId = order(SimOrder.Kind.UPSELL_BOX, orderAt).id();
            }
            h.upsellContacts.add(new CustomerHistory.UpsellContact(ticket.id(), t, converted, orderId, orderAt));
            if (!ticket.retained()) {
                long earliest = converted ? Math.max(DAY, orderAt - t + HOUR) : DAY;
                cancelAfterTicket(t + earliest + rng.nextLong(b.horizonSec - DAY - earliest));
            }
        }

        private void reactiveTicket(long t) {
            if (t <= c.signupAt() || t >= goneAt || t <= busyUntil) {
                return;
            }
            SimTicket ticket = ticket(t, SimTicket.Kind.REACTIVE);
            busyUntil = t + b.horizonSec + DAY;
            long inWindow = t + DAY + rng.nextLong(b.horizonSec - 2 * DAY);
            if (c.subscriber()) {
                if (!ticket.retained()) {
                    cancelAfterTicket(inWindow);
                }
            } else if (ticket.retained()) {
                order(SimOrder.Kind.RETENTION, inWindow);
            } else {
                goneAt = t + 1;
            }
        }

        private void spontaneousOrder(long t) {
            if (t <= c.signupAt() || t >= goneAt) {
                return;
            }
            if (c.subscriber()) {
                if (!leaving && t > noAddOnsUntil) {
                    order(SimOrder.Kind.ADD_ON, t);
                }
            } else if (t > busyUntil) {
                order(SimOrder.Kind.REPEAT, t);
            }
        }

        private void cancelAfterTicket(long at) {
            leaving = true;
            // Unhappy with support, or simply done: the cancellation takes effect immediately.
            String feedback = rng.nextDouble() < 0.4 ? "customer_service" : FEEDBACK[rng.nextInt(FEEDBACK.length)];
            endSubscription(at, at, "cancellation_requested", feedback);
        }

        private void endSubscription(long endedAt, long canceledAt, String reason, String feedback) {
            h.subscriptionEndedAt = endedAt;
            h.subscriptionEndReason = reason;
            goneAt = Math.min(goneAt, endedAt);
            h.stripeEvents.add(new StripeEvent.SubscriptionDeleted(eventSeq++, endedAt, h.subscriptionStartedAt,
                    canceledAt, endedAt, reason, feedback));
        }

        private void paidInvoice(int invoice, String billingReason, long invoiceCreatedAt, long paidAt, int attempt,
                                 long periodStart, long periodEnd, SimOrder.Kind boxKind) {
            long price = Catalog.BOX.priceCents();
            h.stripeEvents.add(new StripeEvent.Invoice(eventSeq++, paidAt, true, invoice, billingReason, price,
                    attempt, StripeEvent.Invoice.NO_RETRY, invoiceCreatedAt, periodStart, periodEnd));
            if (rng.nextDouble() < P_STRIPE_REFUND) {
                long first = paidAt + 2 * DAY + rng.nextLong(18 * DAY);
                boolean full = rng.nextDouble() < 0.6;
                long amount = full ? price : price / 2;
                StripeEvent.RefundItem one = new StripeEvent.RefundItem(1, amount, first);
                h.stripeEvents.add(new StripeEvent.ChargeRefunded(eventSeq++, first, invoice, paidAt, price, amount,
                        List.of(one)));
                if (!full && rng.nextDouble() < P_SECOND_STRIPE_REFUND) {
                    long second = first + DAY + rng.nextLong(14 * DAY);
                    StripeEvent.RefundItem two = new StripeEvent.RefundItem(2, price - amount, second);
                    h.stripeEvents.add(new StripeEvent.ChargeRefunded(eventSeq++, second, invoice, paidAt, price,
                            price, List.of(two, one)));
                }
            }
            order(boxKind, paidAt + 30 + rng.nextLong(270));
        }

        private SimOrder order(SimOrder.Kind kind, long t) {
            if (orderSeq >= b.orderStride) {
                throw new IllegalStateException("customer " + c.index() + " exceeded " + b.orderStride + " orders");
            }
            long id = Ids.shopifyOrder(c.index(), b.orderStride, orderSeq++);
            List<SimOrder.Line> lines = new ArrayList<>(2);
            boolean box = kind == SimOrder.Kind.SIGNUP_BOX || kind == SimOrder.Kind.RENEWAL_BOX
                    || kind == SimOrder.Kind.UPSELL_BOX;
            if (box) {
                lines.add(new SimOrder.Line(Ids.shopifyLineItem(id, 0), Catalog.BOX, 1));
            } else {
                int n = Catalog.ADD_ONS.size();
                int first = rng.nextInt(n);
                lines.add(new SimOrder.Line(Ids.shopifyLineItem(id, 0), Catalog.ADD_ONS.get(first),
                        rng.nextDouble() < 0.15 ? 2 : 1));
                if (rng.nextDouble() < 0.3) {
                    int second = (first + 1 + rng.nextInt(n - 1)) % n;
                    lines.add(new SimOrder.Line(Ids.shopifyLineItem(id, 1), Catalog.ADD_ONS.get(second), 1));
                }
            }
            long subtotal = 0;
            for (SimOrder.Line l : lines) {
                subtotal += l.totalCents();
            }
            String code = null;
            long percent = 0;
            if (kind == SimOrder.Kind.FIRST_PURCHASE) {
                if (rng.nextDouble() < P_WELCOME_CODE) {
                    code = WELCOME_CODE;
                    percent = WELCOME_CODE_PERCENT;
                }
            } else if (!box && rng.nextDouble() < P_AGENT_CODE) {
                code = b.agents[Rng.cumulative(rng, b.agentCodeCumulativeWeights)].discountCode();
                percent = AGENT_CODE_PERCENT;
            }
            long discount = Math.round(subtotal * percent / 100.0);
            long total = subtotal - discount;
            // Orders that decide a retention or conversion outcome are never cancelled or refunded: a pipeline may
            // reasonably discount those, and the planted outcome must not depend on that choice.
            boolean ordinary = kind == SimOrder.Kind.ADD_ON || kind == SimOrder.Kind.REPEAT;
            long cancelledAt = SimOrder.NOT_CANCELLED;
            if (ordinary && rng.nextDouble() < P_CANCEL) {
                cancelledAt = t + 10 * MINUTE + rng.nextLong(20 * HOUR);
            }
            List<SimOrder.Refund> refunds = List.of();
            boolean refundable = ordinary || kind == SimOrder.Kind.FIRST_PURCHASE;
            if (refundable && cancelledAt == SimOrder.NOT_CANCELLED && rng.nextDouble() < P_SHOP_REFUND) {
                long at = t + 2 * DAY + rng.nextLong(23 * DAY);
                long amount = rng.nextDouble() < 0.4 ? total : Math.min(total, lines.get(0).product().priceCents());
                refunds = List.of(new SimOrder.Refund(Ids.shopifyRefund(id, 1), Ids.shopifyRefundTransaction(id, 1),
                        at, amount));
            }
            SimOrder o = new SimOrder(id, c.index(), kind, t, List.copyOf(lines), code,
                    code == null ? null : "percentage", discount, cancelledAt, refunds);
            h.orders.add(o);
            if (cancelledAt == SimOrder.NOT_CANCELLED && rng.nextDouble() < P_CLAIM) {
                claim(o);
            }
            return o;
        }

        private void claim(SimOrder o) {
            long filedAt = o.createdAt() + 7 * DAY + rng.nextLong(14 * DAY);
            String carrier = CARRIERS[rng.nextInt(CARRIERS.length)];
            int agent = rng.nextInt(b.agents.length);
            long claimed = o.totalCents();
            long recoveredAt = SimClaim.NOT_RECOVERED;
            long recovered = 0;
            if (rng.nextDouble() < P_CLAIM_RECOVERED) {
                recoveredAt = filedAt + 7 * DAY + rng.nextLong(38 * DAY);
                recovered = rng.nextDouble() < 0.8 ? claimed : claimed / 2;
            }
            h.claims.add(new SimClaim(o.id(), carrier, filedAt, claimed, recovered, recoveredAt, agent));
        }

        /**
         * Uniform, except that hard tickets go to a hard-ticket agent with the planted probability, or, routed
         * {@link Effects.Routing#BY_TOPIC}, all to the slowest agent.
         */
        private int routedAgent(boolean hard) {
            if (hard && e.routing() == Effects.Routing.BY_TOPIC) {
                return b.slowestAgent;
            }
            int[] hardAgents = b.hardTicketAgents;
            if (hard && hardAgents.length > 0 && rng.nextDouble() < e.hardTicketRouting()) {
                return hardAgents[rng.nextInt(hardAgents.length)];
            }
            return rng.nextInt(b.agents.length);
        }

        private SimTicket ticket(long t, SimTicket.Kind kind) {
            if (ticketSeq >= b.ticketStride) {
                throw new IllegalStateException("customer " + c.index() + " exceeded " + b.ticketStride + " tickets");
            }
            long id = Ids.zendeskTicket(c.index(), b.ticketStride, ticketSeq++);
            int channel = kind == SimTicket.Kind.REACTIVE ? Rng.weighted(rng, Channels.WEIGHTS) : Channels.EMAIL;
            String topic;
            String subject;
            String type;
            String priority;
            switch (kind) {
                case WINBACK -> {
                    topic = "payment_failed";
                    subject = "Your Fernwood Box payment didn't go through";
                    type = "task";
                    priority = "normal";
                }
                case UPSELL -> {
                    topic = "welcome";
                    subject = "Welcome to Fernwood Box! Want this month's box too?";
                    type = "task";
                    priority = "low";
                }
                default -> {
                    int i = Rng.weighted(rng, TOPIC_WEIGHTS);
                    topic = TOPICS[i];
                    subject = SUBJECTS[i];
                    type = topic.equals("damaged_item") ? "incident" : "question";
                    double v = rng.nextDouble();
                    priority = v < 0.15 ? "high" : v < 0.25 ? "low" : "normal";
                }
            }
            // Win-backs are the hardest tickets of all: most of those customers are already lost.
            int agentIndex = routedAgent(kind == SimTicket.Kind.WINBACK
                    || (kind == SimTicket.Kind.REACTIVE && HARD_TOPICS.contains(topic)));
            AgentProfile agent = b.agents[agentIndex];
            double difficulty = rng.nextGaussian();
            double zResolution = rng.nextGaussian();
            double zReply = REPLY_CORRELATION * zResolution
                    + Math.sqrt(1 - REPLY_CORRELATION * REPLY_CORRELATION) * rng.nextGaussian();
            long full = clamp(Math.round(MEDIAN_RESOLUTION_MINUTES
                    * StrictMath.exp(SIGMA_RESOLUTION * zResolution + CONFOUNDING_SLOWDOWN * e.confounding() * difficulty)
                    * Channels.RESOLUTION_FACTOR[channel] * agent.speedFactor()), 1, MAX_RESOLUTION_MINUTES);
            long reply = clamp(Math.round(Channels.REPLY_MEDIAN_MINUTES[channel] * StrictMath.exp(SIGMA_REPLY * zReply)
                    * agent.replySpeedFactor()), 0, full);
            int reopens = 0;
            if (rng.nextDouble() < P_REOPEN) {
                reopens = rng.nextDouble() < P_SECOND_REOPEN ? 2 : 1;
            }
            long firstResolution = reopens > 0
                    ? Math.max(reply, Math.round(full * (0.2 + 0.5 * rng.nextDouble()))) : full;
            int replies = 1 + reopens;
            while (replies < 8 && rng.nextDouble() < 0.45) {
                replies++;
            }
            long onHold = rng.nextDouble() < P_ON_HOLD ? Math.round(full * 0.3 * rng.nextDouble()) : 0;
            long requesterWait = Math.min(full - onHold,
                    Math.max(reply, Math.round(full * (0.55 + 0.45 * rng.nextDouble()))));
            int unsolvedStatus = Rng.weighted(rng, UNSOLVED_STATUS_WEIGHTS);

            double u = rng.nextDouble();
            SimTicket.Csat csat;
            long ratedAt = NONE;
            if (u < P_RATED) {
                double hours = full / 60.0;
                double pGood = Math.max(0.05, Math.min(0.99, 0.97 - 0.025 * (StrictMath.log1p(hours) / StrictMath.log(2))
                        + 0.3 * (agent.qualityFactor() - 1.0)));
                csat = rng.nextDouble() < pGood ? SimTicket.Csat.GOOD : SimTicket.Csat.BAD;
                ratedAt = t + full * MINUTE + 10 * MINUTE + rng.nextLong(2 * DAY);
            } else if (u < P_RATED + P_OFFERED_UNANSWERED) {
                csat = SimTicket.Csat.OFFERED;
            } else {
                csat = SimTicket.Csat.UNOFFERED;
            }

            double p = kind == SimTicket.Kind.WINBACK
                    ? e.supportRecoveryRate()
                    : e.retentionProbability(full / 60.0, agentIndex, Channels.normalised(channel), difficulty,
                            kind == SimTicket.Kind.REACTIVE && HARD_TOPICS.contains(topic));
            boolean retained = rng.nextDouble() < p;
            SimTicket ticket = new SimTicket(id, c.index(), kind, t, channel, agentIndex, topic, subject, type,
                    priority, reply, firstResolution, full, requesterWait, onHold, reopens, replies, unsolvedStatus,
                    csat, ratedAt, difficulty, p, retained);
            h.tickets.add(ticket);
            return ticket;
        }
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
