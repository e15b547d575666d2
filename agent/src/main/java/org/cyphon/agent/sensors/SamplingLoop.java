package org.cyphon.agent.sensors;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.cyphon.core.owner.OwnerSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one sampling sensor's sample every interval and hands what it saw to the sink through the
 * {@link SignalRelay}. The first sample is taken at once, on the relay's ordinary thread, so a
 * sensor reports as soon as the agent starts; every later one on the {@link SamplingThreads}' shared
 * sampling thread, at SCHED_IDLE: a sample is periodic, non-urgent work (the freeze on input never
 * waits for one), and at idle priority it never makes the owner's programs wait for a CPU. What a
 * sample saw reaches the sink on the relay's ordinary thread, never from the demoted one (the sink
 * takes the lock the freeze path takes).
 *
 * <p>A sample that throws is logged and the loop goes on: one unreadable file must not silence the
 * sensor for the rest of the agent's life. Only the first failure of a run of failures is logged
 * at WARN, so a broken source does not fill the log once a second.
 */
final class SamplingLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SamplingLoop.class);

    private final String name;
    private final Supplier<Duration> every;
    private final Supplier<List<? extends OwnerSignal>> sample;
    private final Consumer<OwnerSignal> sink;
    private final SamplingThreads threads;
    /** Held while a sample runs, so close() can wait for it. */
    private final Object sampling = new Object();
    /** Completes when the first sample has reached the sink (or failed): the sensor's first look. */
    private final CompletableFuture<Void> firstSample = new CompletableFuture<>();

    private volatile boolean closed;
    private ScheduledFuture<?> next;
    private boolean failing;

    private SamplingLoop(
            String name,
            Supplier<Duration> every,
            Supplier<List<? extends OwnerSignal>> sample,
            Consumer<OwnerSignal> sink,
            SamplingThreads threads) {
        this.name = name;
        this.every = every;
        this.sample = sample;
        this.sink = sink;
        this.threads = threads;
    }

    CompletableFuture<Void> firstSample() {
        return firstSample;
    }

    /**
     * Starts sampling.
     *
     * @param name   the sensor's name, for log lines
     * @param every  interval between the end of one sample and the start of the next
     * @param sample what one sample saw; an empty list when it saw nothing worth reporting
     */
    static SamplingLoop start(
            String name,
            Duration every,
            Supplier<List<? extends OwnerSignal>> sample,
            Consumer<OwnerSignal> sink,
            SamplingThreads threads) {
        if (every.isZero() || every.isNegative())
            throw new IllegalArgumentException("sampleEvery must be positive: " + every);
        return start(name, () -> every, sample, sink, threads);
    }

    /**
     * Starts sampling with an interval asked for again after every sample, so a sensor can sample
     * slower while little depends on it.
     */
    static SamplingLoop start(
            String name,
            Supplier<Duration> every,
            Supplier<List<? extends OwnerSignal>> sample,
            Consumer<OwnerSignal> sink,
            SamplingThreads threads) {
        SamplingLoop loop = new SamplingLoop(name, every, sample, sink, threads);
        threads.first(loop::sampleAndReschedule);
        return loop;
    }

    private void sampleAndReschedule() {
        synchronized (sampling) {
            if (closed) return;
            try {
                threads.relay().deliver(sample.get(), sink);
                failing = false;
            } catch (RuntimeException e) {
                if (!failing) log.warn("sensor {}: sample failed, retrying every {}", name, every.get(), e);
                else log.debug("sensor {}: sample failed again", name, e);
                failing = true;
            } finally {
                // Through the relay, after the signals it delivers: "looked" means the sink has seen them.
                if (!firstSample.isDone()) threads.relay().execute(() -> firstSample.complete(null));
            }
            Duration pause = every.get();
            if (pause.isZero() || pause.isNegative()) pause = Duration.ofSeconds(1); // a sensor's bug must not spin
            if (!closed) next = threads.later(this::sampleAndReschedule, pause);
        }
    }

    /** Stops sampling, waiting for a sample in progress. Idempotent. */
    @Override
    public void close() {
        closed = true;
        synchronized (sampling) {
            if (next != null) next.cancel(false);
            next = null;
        }
    }
}
