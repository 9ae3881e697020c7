package io.supportroi.analytics;

import io.supportroi.model.Tickets;
import io.supportroi.testing.SparkTest;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.randn;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tickets drawn from a model whose answer is known: an agent's speed shifts log2 resolution time; a ticket's
 * difficulty both slows it and lowers its customer's retention on its own; retention falls by {@link #EFFECT} per
 * doubling of the time. The naive slope must be pulled the way difficulty pulls it, the instrumented one must cover
 * the truth, and an instrument without spread between agents must be flagged weak.
 */
@ExtendWith(SparkTest.class)
class SpeedEffectTest {
    private static final double EFFECT = -0.04;
    private static final int TICKETS = 40_000;

    @Test
    void theInstrumentRecoversTheEffectWhereTheNaiveSlopeIsBiased(SparkSession spark) {
        List<Row> rows = SpeedEffect.apply(spark, tickets(spark, 0.5, 1.0, 11), 0.95, 3).collectAsList();
        Row naive = row(rows, SpeedEffect.RESOLUTION_TIME, SpeedEffect.NAIVE);
        Row iv = row(rows, SpeedEffect.RESOLUTION_TIME, SpeedEffect.INSTRUMENTED);

        assertThat(iv.<Double>getAs(SpeedEffect.CI_LOW)).isLessThan(EFFECT);
        assertThat(iv.<Double>getAs(SpeedEffect.CI_HIGH)).isGreaterThan(EFFECT);
        assertThat(iv.<Double>getAs(SpeedEffect.FIRST_STAGE_F)).isGreaterThan(100.0);
        assertThat(iv.<Boolean>getAs(SpeedEffect.WEAK_INSTRUMENT)).isFalse();
        // Hard tickets are slower and churn more: the naive slope overstates the harm of slowness.
        assertThat(naive.<Double>getAs(SpeedEffect.CI_HIGH)).isLessThan(EFFECT);
        assertThat(naive.<Double>getAs(SpeedEffect.EFFECT_PER_DOUBLING))
                .isLessThan(iv.<Double>getAs(SpeedEffect.EFFECT_PER_DOUBLING));
        assertThat(naive.<Object>getAs(SpeedEffect.FIRST_STAGE_F)).isNull();
        assertThat(iv.<Object>getAs(SpeedEffect.BALANCE_T)).as("no risk column given").isNull();
        assertThat(iv.<Boolean>getAs(SpeedEffect.UNRELIABLE_INSTRUMENT)).isFalse();
        assertThat(iv.<Long>getAs(SpeedEffect.N)).isEqualTo(naive.<Long>getAs(SpeedEffect.N)).isPositive();
    }

    @Test
    void agentsWhoAllWorkAtOneSpeedAreAWeakInstrument(SparkSession spark) {
        List<Row> rows = SpeedEffect.apply(spark, tickets(spark, 0.0, 1.0, 12), 0.95, 3).collectAsList();
        Row iv = row(rows, SpeedEffect.RESOLUTION_TIME, SpeedEffect.INSTRUMENTED);
        assertThat(iv.<Double>getAs(SpeedEffect.FIRST_STAGE_F)).isLessThan(SpeedEffect.WEAK_F);
        assertThat(iv.<Boolean>getAs(SpeedEffect.WEAK_INSTRUMENT)).isTrue();
    }

    @Test
    void oneAgentPerChannelIsNoInstrumentAtAll(SparkSession spark) {
        Dataset<Row> dedicated = tickets(spark, 0.5, 1.0, 14).withColumn(Tickets.AGENT_ID,
                concat(lit("agent-for-"), col(Tickets.CHANNEL)));
        Row iv = row(SpeedEffect.apply(spark, dedicated, 0.95, 3).collectAsList(), SpeedEffect.RESOLUTION_TIME,
                SpeedEffect.INSTRUMENTED);
        // Zero but for rounding: within a cell every ticket has the same instrument.
        assertThat(iv.<Double>getAs(SpeedEffect.FIRST_STAGE_F)).isLessThan(1e-9);
        assertThat(iv.<Boolean>getAs(SpeedEffect.WEAK_INSTRUMENT)).isTrue();
    }

    @Test
    void routingThatLooksAtTheCustomerIsFlaggedHoweverStrongTheFirstStage(SparkSession spark) {
        // The customer's known risk (here the difficulty itself) beside each ticket.
        Row random = row(SpeedEffect.apply(spark, tickets(spark, 0.5, 1.0, 15)
                        .withColumn(SpeedEffect.PRE_TICKET_RISK, col("difficulty")), 0.95, 3).collectAsList(),
                SpeedEffect.RESOLUTION_TIME, SpeedEffect.INSTRUMENTED);
        assertThat(Math.abs(random.<Double>getAs(SpeedEffect.BALANCE_T))).isLessThan(SpeedEffect.BALANCE_LIMIT);
        assertThat(random.<Boolean>getAs(SpeedEffect.UNRELIABLE_INSTRUMENT)).isFalse();

        // Hard tickets go to the five slowest agents: the instrument now carries the difficulty.
        Dataset<Row> byDifficulty = tickets(spark, 0.5, 1.0, 15)
                .withColumn(Tickets.AGENT_ID, when(col("difficulty").gt(0.8),
                        concat(lit("agent"), col("id").mod(5).plus(15).cast("string")))
                        .otherwise(col(Tickets.AGENT_ID)))
                .withColumn(SpeedEffect.PRE_TICKET_RISK, col("difficulty"));
        Row routed = row(SpeedEffect.apply(spark, byDifficulty, 0.95, 3).collectAsList(),
                SpeedEffect.RESOLUTION_TIME, SpeedEffect.INSTRUMENTED);
        assertThat(routed.<Double>getAs(SpeedEffect.FIRST_STAGE_F)).isGreaterThan(SpeedEffect.WEAK_F);
        assertThat(routed.<Double>getAs(SpeedEffect.BALANCE_T)).isGreaterThan(SpeedEffect.BALANCE_LIMIT);
        assertThat(routed.<Boolean>getAs(SpeedEffect.UNRELIABLE_INSTRUMENT)).isTrue();
    }

    @Test
    void firstRepliesGetNoCreditForWhatResolutionDid(SparkSession spark) {
        List<Row> rows = SpeedEffect.apply(spark, tickets(spark, 0.5, 1.0, 16), 0.95, 3).collectAsList();
        Row naive = row(rows, SpeedEffect.FIRST_RESPONSE_TIME, SpeedEffect.NAIVE);
        Row iv = row(rows, SpeedEffect.FIRST_RESPONSE_TIME, SpeedEffect.INSTRUMENTED);
        // Slow replies come with slow resolutions: the naive slope blames the reply.
        assertThat(naive.<Double>getAs(SpeedEffect.CI_HIGH)).isLessThan(0.0);
        assertThat(iv.<Double>getAs(SpeedEffect.CI_LOW)).isLessThan(0.0);
        assertThat(iv.<Double>getAs(SpeedEffect.CI_HIGH)).isGreaterThan(0.0);
        assertThat(iv.<Boolean>getAs(SpeedEffect.WEAK_INSTRUMENT)).isFalse();
    }

    @Test
    void agentsFastAtBothAlikeCannotTellTheTwoTimesApart(SparkSession spark) {
        List<Row> rows = SpeedEffect.apply(spark, tickets(spark, 0.5, 1.0, 17, true), 0.95, 3).collectAsList();
        Row reply = row(rows, SpeedEffect.FIRST_RESPONSE_TIME, SpeedEffect.INSTRUMENTED);
        assertThat(reply.<Double>getAs(SpeedEffect.FIRST_STAGE_F)).isLessThan(SpeedEffect.WEAK_F);
        assertThat(reply.<Boolean>getAs(SpeedEffect.UNRELIABLE_INSTRUMENT)).isTrue();
        // A faster agent is still a faster agent: the resolution row, which credits the agent's whole pace to
        // resolution time, keeps its strong first stage and its truth.
        Row resolution = row(rows, SpeedEffect.RESOLUTION_TIME, SpeedEffect.INSTRUMENTED);
        assertThat(resolution.<Double>getAs(SpeedEffect.FIRST_STAGE_F)).isGreaterThan(100.0);
        assertThat(resolution.<Double>getAs(SpeedEffect.CI_LOW)).isLessThan(EFFECT);
        assertThat(resolution.<Double>getAs(SpeedEffect.CI_HIGH)).isGreaterThan(EFFECT);
    }

    @Test
    void anAgentLeftOutTakesTheirTicketsAlongAndIsCounted(SparkSession spark) {
        Dataset<Row> tickets = tickets(spark, 0.5, 1.0, 18);
        long theirs = tickets.filter(col(Tickets.AGENT_ID).equalTo("agent10")).count();
        Row all = row(SpeedEffect.apply(spark, tickets, 0.95, 3).collectAsList(), SpeedEffect.RESOLUTION_TIME,
                SpeedEffect.INSTRUMENTED);
        Row without = row(SpeedEffect.apply(spark, tickets, List.of("agent10"), 0.95, 3).collectAsList(),
                SpeedEffect.RESOLUTION_TIME, SpeedEffect.INSTRUMENTED);
        assertThat(theirs).isPositive();
        assertThat(all.<Long>getAs(SpeedEffect.N) - without.<Long>getAs(SpeedEffect.N)).isEqualTo(theirs);
        assertThat(all.<Integer>getAs(SpeedEffect.AGENTS_LEFT_OUT)).isZero();
        assertThat(without.<Integer>getAs(SpeedEffect.AGENTS_LEFT_OUT)).isEqualTo(1);
        assertThat(without.<Double>getAs(SpeedEffect.CI_LOW)).isLessThan(EFFECT);
        assertThat(without.<Double>getAs(SpeedEffect.CI_HIGH)).isGreaterThan(EFFECT);
    }

    @Test
    void withoutConfoundingBothEstimatesAgree(SparkSession spark) {
        List<Row> rows = SpeedEffect.apply(spark, tickets(spark, 0.5, 0.0, 13), 0.95, 3).collectAsList();
        for (String method : List.of(SpeedEffect.NAIVE, SpeedEffect.INSTRUMENTED)) {
            Row r = row(rows, SpeedEffect.RESOLUTION_TIME, method);
            assertThat(r.<Double>getAs(SpeedEffect.CI_LOW)).as(method).isLessThan(EFFECT);
            assertThat(r.<Double>getAs(SpeedEffect.CI_HIGH)).as(method).isGreaterThan(EFFECT);
        }
    }

    /**
     * {@code spread}: standard deviation of the agents' speeds (log2 hours); {@code confounding}: how much a
     * standard deviation of difficulty slows a ticket (log2 hours) and, at 0.1 per unit, lowers retention.
     */
    private static Dataset<Row> tickets(SparkSession spark, double spread, double confounding, long seed) {
        return tickets(spark, spread, confounding, seed, false);
    }

    /**
     * First replies do not move retention. Their agent speeds are the resolution speeds shuffled (agent i replies
     * at the speed agent 7i mod 20 resolves), or with {@code replyLikeResolution} the same; a ticket's reply also
     * shares half its resolution noise, so slow replies go with slow resolutions ticket by ticket.
     */
    private static Dataset<Row> tickets(SparkSession spark, double spread, double confounding, long seed,
                                        boolean replyLikeResolution) {
        Column agent = col("id").mod(20);
        // Fixed speeds per agent, evenly spread: -spread * 1.6 ... +spread * 1.6.
        Column speed = agent.minus(9.5).divide(6.0).multiply(spread);
        Column replySpeed = replyLikeResolution ? speed
                : agent.multiply(7).mod(20).minus(9.5).divide(6.0).multiply(spread);
        Column difficulty = randn(seed);
        Column noise = randn(seed + 1);
        Column log2Hours = lit(3.0).plus(speed).plus(col("difficulty").multiply(confounding)).plus(col("noise"));
        Column log2Reply = lit(1.0).plus(replySpeed).plus(col("noise").multiply(0.5)).plus(randn(seed + 3));
        Column p = lit(0.8).plus(lit(EFFECT).multiply(col("log2_hours").minus(3.0)))
                .minus(col("difficulty").multiply(0.1 * confounding));
        return spark.range(0, TICKETS, 1, 2)
                .withColumn("difficulty", difficulty)
                .withColumn("noise", noise)
                .withColumn("log2_hours", log2Hours)
                .withColumn(Tickets.TICKET_ID, col("id").cast("string"))
                .withColumn(Tickets.CUSTOMER_ID, concat(lit("c"), col("id").mod(15_000).cast("string")))
                .withColumn(Tickets.AGENT_ID, concat(lit("agent"), agent.cast("string")))
                .withColumn(Tickets.CHANNEL, when(col("id").mod(3).equalTo(0), "chat").otherwise("email"))
                // Twelve weeks from 2025-01-06, a Monday.
                .withColumn(Tickets.CREATED_AT, timestamp_seconds(lit(1736121600L)
                        .plus(col("id").mod(84).multiply(86_400))))
                .withColumn(Tickets.RESOLUTION_HOURS, pow(lit(2.0), col("log2_hours")))
                .withColumn(Tickets.FIRST_RESPONSE_SECONDS,
                        pow(lit(2.0), log2Reply).multiply(3600).cast("long"))
                .withColumn(Tickets.CAMPAIGN, lit(null).cast("string"))
                .withColumn(TicketOutcomes.RETAINED, rand(seed + 2).lt(greatest(lit(0.0), least(lit(1.0), p))));
    }

    private static Row row(List<Row> rows, String metric, String method) {
        return rows.stream().filter(r -> r.getAs(SpeedEffect.METRIC).equals(metric)
                && r.getAs(SpeedEffect.METHOD).equals(method)).findFirst().orElseThrow();
    }
}
