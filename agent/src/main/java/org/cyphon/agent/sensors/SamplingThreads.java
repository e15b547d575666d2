package org.cyphon.agent.sensors;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.cyphon.agent.priority.BackgroundPriority;
import org.cyphon.agent.priority.BackgroundThreads;

/**
 * The two threads the agent's sampling sensors share: {@code NAME-samples}, at SCHED_IDLE, takes
 * every sample after a sensor's first (reading /proc, asking the X server its idle time: periodic
 * work the freeze never waits for); and the {@link SignalRelay} {@code NAME-signals}, at ordinary
 * priority, takes each sensor's first sample, hands every sample's findings to the sink and makes
 * the threads the freeze path runs on.
 *
 * <p>One sampling thread for all sensors rather than one each: an agent on a desk is mostly idle,
 * and each thread costs it memory for its whole life. The price: a slow sample (an X server that
 * takes its whole timeout to answer, {@code nvidia-smi} hanging) delays the other sensors' samples
 * by as long. The first samples run at ordinary priority because the agent decides from them, a
 * moment after start, whether anyone can be seen at this desk at all: a starved first sample would
 * make a desk look headless.
 */
final class SamplingThreads implements AutoCloseable {
    private final SignalRelay relay;
    private final ScheduledThreadPoolExecutor samples;

    /** @param name prefix of the threads' names: {@code sensor} gives sensor-samples and sensor-signals */
    SamplingThreads(String name) {
        this.relay = new SignalRelay(name + "-signals");
        // Started lazily by the first schedule(), which runs on the relay (ordinary): the thread demotes itself.
        this.samples =
                new ScheduledThreadPoolExecutor(1, new BackgroundThreads(name + "-samples", BackgroundPriority.IDLE));
        this.samples.setRemoveOnCancelPolicy(true);
    }

    SignalRelay relay() {
        return relay;
    }

    /** Runs {@code sample} on the ordinary relay thread, now: a sensor's first sample. */
    void first(Runnable sample) {
        relay.execute(sample);
    }

    /** Runs {@code sample} on the demoted sampling thread after {@code delay}; null once closed. */
    ScheduledFuture<?> later(Runnable sample, Duration delay) {
        try {
            return samples.schedule(sample, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            return null;
        }
    }

    @Override
    public void close() {
        samples.shutdownNow();
        relay.close();
    }
}
