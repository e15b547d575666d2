package org.cyphon.core.owner;

import java.time.Instant;

/**
 * One observation by one sensor about the person at the desk or their use of the machine. Sensors
 * live in the agent (they read devices, D-Bus, /proc); everything they see reaches core as one of
 * these records, so presence fusion and policy stay pure and replayable by the simulator.
 *
 * @see OwnerObservations for the latest signal of each source
 */
public sealed interface OwnerSignal permits InputSeen, SessionsSeen, LoadSeen, PowerSeen, ExclusiveAppsSeen, GpuSeen {

    /** Which sensor saw it, stable across observations: {@code evdev:/dev/input/event3}, {@code x11::0}, {@code logind}, {@code proc}. */
    String source();

    /** When it was observed (the agent's clock). */
    Instant at();
}
