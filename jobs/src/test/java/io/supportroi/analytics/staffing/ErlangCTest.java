package io.supportroi.analytics.staffing;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ErlangCTest {
    private static final double EPS = 1e-6;

    @Test
    void twoAgentsAtHalfLoadByHand() {
        // A = 1, c = 2: (A^2/2! * 2/(2-1)) / (1 + A + 1) = 1/3; the wait drains at c mu - lambda = 1 per hour.
        ErlangC q = new ErlangC(1.0, 1.0, 2);
        assertThat(q.probabilityOfWaiting()).isCloseTo(1.0 / 3, within(EPS));
        assertThat(q.meanWait()).isCloseTo(1.0 / 3, within(EPS));
        assertThat(q.probabilityWaitExceeds(2.0)).isCloseTo(Math.exp(-2.0) / 3, within(EPS));
        assertThat(q.medianWait()).isZero();
        // A third wait at all: the 80th percentile is where (1/3) e^{-t} = 0.2, t = ln(5/3).
        assertThat(q.quantileWait(0.8)).isCloseTo(Math.log(5.0 / 3), within(EPS));
    }

    @Test
    void threeAgentsAtTwoErlangsByHand() {
        // Sum_{k<3} 2^k/k! = 5; 2^3/3! * 3/(3-2) = 4; C = 4/9. Mean wait 4/9 / (3*3 - 6) hours with mu = 3.
        ErlangC q = new ErlangC(6.0, 3.0, 3);
        assertThat(q.offeredLoad()).isCloseTo(2.0, within(EPS));
        assertThat(q.probabilityOfWaiting()).isCloseTo(4.0 / 9, within(EPS));
        assertThat(q.meanWait()).isCloseTo(4.0 / 27, within(EPS));
    }

    @Test
    void theCallCentreTextbookCase() {
        // 100 calls per half hour, 180 s each: 10 Erlangs. Published: 14 agents, 17.41% wait, 88.8% answered
        // within 20 s. Exact figures from the textbook sum in 60-digit decimals, an independent computation.
        double perHour = 200;
        double servicePerHour = 3600.0 / 180;
        for (int agents = 11; agents <= 40; agents++) {
            ErlangC q = new ErlangC(perHour, servicePerHour, agents);
            assertThat(q.probabilityOfWaiting()).as("%d agents", agents)
                    .isCloseTo(textbookSum(10, agents), within(EPS));
        }
        ErlangC fourteen = new ErlangC(perHour, servicePerHour, 14);
        assertThat(fourteen.probabilityOfWaiting()).isCloseTo(0.1741, within(5e-5));
        assertThat(1 - fourteen.probabilityWaitExceeds(20.0 / 3600)).isCloseTo(0.888, within(5e-4));
    }

    @Test
    void aQueueItsAgentsCannotKeepUpWithNeverSettles() {
        ErlangC q = new ErlangC(10.0, 1.0, 10);
        assertThat(q.stable()).isFalse();
        assertThat(q.probabilityOfWaiting()).isEqualTo(1.0);
        assertThat(q.meanWait()).isInfinite();
        assertThat(q.medianWait()).isInfinite();
    }

    @Test
    void hundredsOfAgentsStayFinite() {
        // 400 Erlangs: A^k/k! overflows a double long before k = 420; the recursion does not.
        ErlangC q = new ErlangC(400.0, 1.0, 420);
        assertThat(q.probabilityOfWaiting()).isBetween(0.0, 1.0);
        assertThat(q.probabilityOfWaiting()).isCloseTo(textbookSum(400, 420), within(EPS));
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> new ErlangC(1.0, 0.0, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ErlangC(1.0, 1.0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ErlangC(Double.NaN, 1.0, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The textbook formula, term by term in exact-enough decimals. */
    private static double textbookSum(int erlangs, int agents) {
        MathContext mc = new MathContext(60);
        BigDecimal a = BigDecimal.valueOf(erlangs);
        BigDecimal term = BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ZERO;
        for (int k = 0; k < agents; k++) {
            sum = sum.add(term);
            term = term.multiply(a).divide(BigDecimal.valueOf(k + 1), mc);
        }
        BigDecimal last = term.multiply(BigDecimal.valueOf(agents))
                .divide(BigDecimal.valueOf(agents - erlangs), mc);
        return last.divide(sum.add(last), mc).doubleValue();
    }
}
