package org.cyphon.agent.sensors;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.cyphon.core.owner.OwnerSignal;

/**
 * One source of knowledge about the person at the desk. Each sensor turns what it reads (input
 * devices, the X server, logind over D-Bus, /proc) into core {@link OwnerSignal}s and hands them to
 * the sink; presence fusion and policy happen in core.
 *
 * <p>Input sensors are event-driven: they call the sink as soon as an event arrives (no polling
 * interval between a key press and the decision). Sampling sensors (load, power) call it at their
 * interval. A sensor that cannot work on this machine (no devices, no X, no system bus) does not
 * fail the agent: {@link #start} returns false and {@link #status} says why, for
 * {@code cyphon machine NAME}.
 */
public interface Sensor extends AutoCloseable {

    /** Short stable name: {@code evdev}, {@code x11}, {@code logind}, {@code load}, {@code power}, ... */
    String name();

    /**
     * Starts observing on the sensor's own thread(s). The sink is thread-safe and cheap.
     *
     * @return false when the sensor is unavailable here (see {@link #status()})
     */
    boolean start(Consumer<OwnerSignal> sink);

    /**
     * Completes once the sensor has told the sink what it sees at start: for a sampling sensor, when
     * its first sample has reached the sink; for the others (which report their start state within
     * {@link #start}, or report only events), at once. The agent decides from these first looks
     * whether anyone can sit at this machine.
     */
    default CompletionStage<Void> firstLook() {
        return CompletableFuture.completedFuture(null);
    }

    /** "ok", or one sentence saying why the sensor is unavailable or degraded. */
    String status();

    /** Stops its threads and releases devices, connections and watches. Idempotent. */
    @Override
    void close();
}
