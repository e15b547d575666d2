package org.cyphon.agent.sensors;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.cyphon.core.owner.OwnerSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every sampling sensor (load, power, utmp, exclusive applications, GPU, X11 idle time) shares:
 * a {@link SamplingLoop} started once, a status for {@code cyphon machine NAME}, and a close that
 * waits for a sample in progress. A subclass says whether it can work here ({@link #unavailable}),
 * what one sample sees ({@link #takeSample}) and, if it wants, how long to wait before the next one
 * ({@link #nextSampleIn}: the owner-load sensor samples slower while no job runs).
 */
abstract class SamplingSensor implements Sensor {

    private static final Logger log = LoggerFactory.getLogger(SamplingSensor.class);

    private final String name;
    protected final Duration sampleEvery;
    protected final Clock clock;
    private SamplingLoop loop;
    /** Where samples are taken and handed to the sink: the agent's shared threads, or our own. */
    private SamplingThreads threads;

    private SamplingThreads ownThreads;
    private volatile String status = "not started";

    protected SamplingSensor(String name, Duration sampleEvery, Clock clock) {
        this.name = name;
        this.sampleEvery = sampleEvery;
        this.clock = clock;
    }

    @Override
    public final String name() {
        return name;
    }

    /** Use the agent's shared sampling threads instead of threads of our own; before {@link #start}. */
    final synchronized void shareThreads(SamplingThreads shared) {
        this.threads = shared;
    }

    @Override
    public final synchronized boolean start(Consumer<OwnerSignal> sink) {
        if (loop != null) return true;
        String why = unavailable();
        if (why != null) {
            status = why;
            log.info("sensor {} unavailable: {}", name, why);
            return false;
        }
        status = "ok";
        if (threads == null) threads = ownThreads = new SamplingThreads("sensor-" + name);
        starting(sink);
        Supplier<Duration> interval = this::nextSampleIn;
        loop = SamplingLoop.start(name, interval, this::takeSample, sink, threads);
        log.info("sensor {} started: {}", name, describe());
        return true;
    }

    @Override
    public final synchronized CompletionStage<Void> firstLook() {
        return loop == null ? CompletableFuture.completedFuture(null) : loop.firstSample();
    }

    @Override
    public final String status() {
        return status;
    }

    /** For subclasses whose samples find the source degraded or recovered. */
    protected final void status(String now) {
        status = now;
    }

    /** Why this sensor cannot work on this machine, or null when it can. */
    protected String unavailable() {
        return null;
    }

    /**
     * Runs {@code task} on an ordinary-priority thread and waits for it. The sampling thread is
     * demoted to SCHED_IDLE, and a thread it creates would be too: a thread the freeze path runs on
     * (an input listener) must be created through here.
     */
    protected final <T> T onOrdinaryThread(java.util.concurrent.Callable<T> task) throws Exception {
        SamplingThreads t;
        synchronized (this) {
            t = threads;
        }
        if (t == null) throw new IllegalStateException("sensor " + name + " is not started");
        return t.relay().call(task);
    }

    /** Called once before the first sample, with the sink events may also go to. */
    protected void starting(Consumer<OwnerSignal> sink) {}

    /** What one sample saw; empty when nothing worth reporting. Runs on the sampling thread. */
    protected abstract List<? extends OwnerSignal> takeSample();

    /** The pause after a sample; {@code sampleEvery} unless a subclass knows better. */
    protected Duration nextSampleIn() {
        return sampleEvery;
    }

    /** What it samples and how often, for the log line at start. */
    protected abstract String describe();

    /** Releases what the samples held (connections); called after the loop has stopped. */
    protected void stopped() {}

    @Override
    public final void close() {
        SamplingLoop running;
        synchronized (this) {
            running = loop;
            loop = null;
        }
        if (running == null) return;
        running.close(); // outside the lock: it waits for a sample in progress, which may hold it
        stopped();
        SamplingThreads own;
        synchronized (this) {
            own = ownThreads;
            ownThreads = null;
            threads = null;
        }
        if (own != null) own.close();
        status = "stopped";
        log.info("sensor {} stopped", name);
    }
}
