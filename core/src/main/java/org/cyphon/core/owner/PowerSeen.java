package org.cyphon.core.owner;

import java.time.Instant;

/** Mains or battery; {@code batteryPercent} null when there is no battery. */
public record PowerSeen(String source, Instant at, boolean onBattery, Integer batteryPercent) implements OwnerSignal {}
