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
        starting(sink);
        Supplier<Duration> interval = this::nextSampleIn;
        loop = SamplingLoop.start(name, interval, this::takeSample, sink);
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
        status = "stopped";
        log.info("sensor {} stopped", name);
    }
}
