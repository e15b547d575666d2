package org.cyphon.agent;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import org.cyphon.agent.client.CoordinatorUnreachableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every part of the agent waits when the coordinator cannot be reached: bounded exponential
 * back-off with jitter. The first wait is about {@link #FIRST}, each next one twice as long, never
 * more than {@link #MAX}; each is drawn between half and all of that, so a pool of agents that lost
 * the coordinator together does not come back in one burst. An unreachable coordinator never stops
 * a job: the caller's loop goes on, and the log says so.
 *
 * <p>Two uses: {@link #untilReached} repeats one call until the coordinator answers; a loop that
 * runs for the agent's life (heartbeat, work poll) keeps one {@link Backoff} and tells it each
 * failure and success. Both give up only when the agent stops: {@code wanted} turns false, or the
 * waiting thread is interrupted.
 */
final class Retry {
    private static final Logger log = LoggerFactory.getLogger(Retry.class);
    static final Duration FIRST = Duration.ofMillis(500);
    static final Duration MAX = Duration.ofSeconds(10);

    /** Waits; {@code Thread::sleep} in the agent. */
    @FunctionalInterface
    interface Pause {
        void sleep(Duration d) throws InterruptedException;
    }

    /** A call to the coordinator that may find it unreachable, or fail for good with {@code E}. */
    @FunctionalInterface
    interface Call<T, E extends Exception> {
        T call() throws CoordinatorUnreachableException, E;
    }

    private final String agent;
    private final Duration first;
    private final Duration max;
    private final BooleanSupplier wanted;
    private final Pause pause;
    private final RandomGenerator random;

    /** The agent's back-off: {@link #FIRST} to {@link #MAX}, real sleeps. */
    Retry(String agent, BooleanSupplier wanted) {
        this(agent, FIRST, MAX, wanted, d -> Thread.sleep(d.toMillis()), ThreadLocalRandom.current());
    }

    Retry(String agent, Duration first, Duration max, BooleanSupplier wanted, Pause pause, RandomGenerator random) {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0)
            throw new IllegalArgumentException("back-off needs 0 < first <= max, got " + first + " and " + max);
        this.agent = agent;
        this.first = first;
        this.max = max;
        this.wanted = wanted;
        this.pause = pause;
        this.random = random;
    }

    /** A fresh back-off for one loop. */
    Backoff backoff() {
        return new Backoff();
    }

    /**
     * Calls until the coordinator is reached, backing off between tries.
     *
     * @throws E                    the call failed for good (a refusal, a local error): not retried
     * @throws InterruptedException the agent is stopping: no more tries
     */
    <T, E extends Exception> T untilReached(String what, Call<T, E> call) throws E, InterruptedException {
        Backoff b = backoff();
        while (true) {
            if (!wanted.getAsBoolean()) throw new InterruptedException(what + ": the agent is stopping");
            try {
                return call.call();
            } catch (CoordinatorUnreachableException e) {
                b.failed(what, e);
            }
        }
    }

    /** One loop's back-off: how long the next wait is, doubled after each failure, reset by a success. */
    final class Backoff {
        private Duration ceiling = first;

        /** Logs the failure, waits, and makes the next wait longer. */
        void failed(String what, Exception why) throws InterruptedException {
            Duration wait = next();
            log.warn(
                    "agent {}: {} failed ({}); retrying in {} ms, jobs keep running",
                    agent,
                    what,
                    why.getMessage(),
                    wait.toMillis());
            if (!wanted.getAsBoolean()) throw new InterruptedException(what + ": the agent is stopping");
            pause.sleep(wait);
        }

        /** The coordinator answered: the next failure waits from the start again. */
        void succeeded() {
            ceiling = first;
        }

        /** The wait to take now (between half and all of the current ceiling); doubles the ceiling. */
        Duration next() {
            long cap = ceiling.toMillis();
            long wait = cap / 2 + random.nextLong(cap - cap / 2 + 1);
            Duration doubled = ceiling.multipliedBy(2);
            ceiling = doubled.compareTo(max) > 0 ? max : doubled;
            return Duration.ofMillis(wait);
        }
    }
}
