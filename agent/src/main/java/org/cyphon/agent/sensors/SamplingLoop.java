package org.cyphon.agent.sensors;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.cyphon.core.owner.OwnerSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one sampling sensor's sample every interval on its own daemon thread and hands what it saw to
 * the sink. The first sample is taken at once, so a sensor reports as soon as the agent starts.
 *
 * <p>A sample that throws is logged and the loop goes on: one unreadable file must not silence the
 * sensor for the rest of the agent's life. Only the first failure of a run of failures is logged
 * at WARN, so a broken source does not fill the log once a second.
 */
final class SamplingLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SamplingLoop.class);

    private final ScheduledExecutorService thread;
    /** Completes when the first sample has reached the sink (or failed): the sensor's first look. */
    private final CompletableFuture<Void> firstSample = new CompletableFuture<>();

    private SamplingLoop(ScheduledExecutorService thread) {
        this.thread = thread;
    }

    CompletableFuture<Void> firstSample() {
        return firstSample;
    }

    /**
     * Starts sampling.
     *
     * @param name   the sensor's name, used for the thread's name and log lines
     * @param every  interval between the end of one sample and the start of the next
     * @param sample what one sample saw; an empty list when it saw nothing worth reporting
     */
    static SamplingLoop start(
            String name, Duration every, Supplier<List<? extends OwnerSignal>> sample, Consumer<OwnerSignal> sink) {
        if (every.isZero() || every.isNegative())
            throw new IllegalArgumentException("sampleEvery must be positive: " + every);
        return start(name, () -> every, sample, sink);
    }

    /**
     * Starts sampling with an interval asked for again after every sample, so a sensor can sample
     * slower while little depends on it.
     */
    static SamplingLoop start(
            String name,
            Supplier<Duration> every,
            Supplier<List<? extends OwnerSignal>> sample,
            Consumer<OwnerSignal> sink) {
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sensor-" + name);
            t.setDaemon(true);
            return t;
        });
        SamplingLoop loop = new SamplingLoop(thread);
        thread.execute(() -> loop.sampleAndReschedule(name, every, sample, sink));
        return loop;
    }

    private boolean failing;

    private void sampleAndReschedule(
            String name,
            Supplier<Duration> every,
            Supplier<List<? extends OwnerSignal>> sample,
            Consumer<OwnerSignal> sink) {
        try {
            sample.get().forEach(sink);
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) log.warn("sensor {}: sample failed, retrying every {}", name, every.get(), e);
            else log.debug("sensor {}: sample failed again", name, e);
            failing = true;
        } finally {
            firstSample.complete(null);
        }
        Duration next = every.get();
        if (next.isZero() || next.isNegative()) next = Duration.ofSeconds(1); // a bug in a sensor must not spin
        try {
            var unused = thread.schedule(
                    () -> sampleAndReschedule(name, every, sample, sink), next.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // closed while sampling: the loop ends here
        }
    }

    /** Stops sampling and waits briefly for a sample in progress. Idempotent. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
