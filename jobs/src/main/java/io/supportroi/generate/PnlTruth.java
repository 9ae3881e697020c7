package io.supportroi.generate;

import java.io.Serializable;

/**
 * Partial sums, per calendar month of the period and in cents, for the {@code expected.support_pnl_monthly} block of
 * ground_truth.json: the support P&L's revenue, cost-of-goods, refund and claim lines as the generator made them
 * happen, by intent rather than by re-applying the pipeline's attribution rule. The simulator keeps other purchases
 * out of every outreach's conversion window, so intent and rule agree; if they ever do not, the pipeline's numbers
 * and these differ and the end-to-end test says so.
 *
 * <p>Per month of the event, events before the end of the period only: upsell conversions (the missed box bought
 * after a welcome outreach), win-backs (the box order of a renewal support recovered), orders with an agent's
 * discount code, the cost of goods of those orders, refunds (shop and Stripe, each refund once) and claims recovered.
 */
final class PnlTruth implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The box order follows the invoice payment by at most this many seconds (see {@code paidInvoice}). */
    private static final long BOX_ORDER_LAG = 300;

    final long[] upsellRevenue;
    final long[] winbackRevenue;
    final long[] discountCodeRevenue;
    final long[] cogs;
    final long[] refunded;
    final long[] claimsRecovered;

    PnlTruth(int months) {
        upsellRevenue = new long[months];
        winbackRevenue = new long[months];
        discountCodeRevenue = new long[months];
        cogs = new long[months];
        refunded = new long[months];
        claimsRecovered = new long[months];
    }

    void add(CustomerHistory h, Business b) {
        for (SimOrder o : h.orders) {
            if (o.createdAt() >= b.endExclusiveSec) {
                continue;
            }
            for (SimOrder.Refund r : o.refunds()) {
                if (r.createdAt() < b.endExclusiveSec) {
                    refunded[b.monthIndex(r.createdAt())] += r.amountCents();
                }
            }
            if (o.cancelled()) {
                continue;
            }
            int m = b.monthIndex(o.createdAt());
            boolean agentCode = o.discountCode() != null && !o.discountCode().equals(CustomerSimulator.WELCOME_CODE);
            if (agentCode) {
                discountCodeRevenue[m] += o.totalCents();
                cogs[m] += cogs(o);
            } else if (o.kind() == SimOrder.Kind.UPSELL_BOX) {
                upsellRevenue[m] += o.totalCents();
                cogs[m] += cogs(o);
            } else if (o.kind() == SimOrder.Kind.RENEWAL_BOX && recoveredBySupport(h, o)) {
                winbackRevenue[m] += o.totalCents();
                cogs[m] += cogs(o);
            }
        }
        for (StripeEvent e : h.stripeEvents) {
            if (e instanceof StripeEvent.ChargeRefunded refund) {
                // Each event lists every refund of the charge so far; the newest one is what this event adds.
                StripeEvent.RefundItem newest = refund.refunds().get(0);
                for (StripeEvent.RefundItem item : refund.refunds()) {
                    if (item.number() > newest.number()) {
                        newest = item;
                    }
                }
                if (newest.created() < b.endExclusiveSec) {
                    refunded[b.monthIndex(newest.created())] += newest.amountCents();
                }
            }
        }
        for (SimClaim c : h.claims) {
            if (c.recoveredAt() != SimClaim.NOT_RECOVERED && c.recoveredAt() < b.endExclusiveSec) {
                claimsRecovered[b.monthIndex(c.recoveredAt())] += c.recoveredCents();
            }
        }
    }

    private static boolean recoveredBySupport(CustomerHistory h, SimOrder box) {
        for (CustomerHistory.FailedRenewal f : h.failedRenewals) {
            if (f.outcome() == CustomerHistory.FailedRenewal.Outcome.SUPPORT
                    && box.createdAt() >= f.resolvedAt() && box.createdAt() <= f.resolvedAt() + BOX_ORDER_LAG) {
                return true;
            }
        }
        return false;
    }

    private static long cogs(SimOrder o) {
        long total = 0;
        for (SimOrder.Line l : o.lines()) {
            total += l.quantity() * l.product().unitCostCents();
        }
        return total;
    }

    void merge(PnlTruth other) {
        for (int m = 0; m < upsellRevenue.length; m++) {
            upsellRevenue[m] += other.upsellRevenue[m];
            winbackRevenue[m] += other.winbackRevenue[m];
            discountCodeRevenue[m] += other.discountCodeRevenue[m];
            cogs[m] += other.cogs[m];
            refunded[m] += other.refunded[m];
            claimsRecovered[m] += other.claimsRecovered[m];
        }
    }
}
