package org.cyphon.core.owner;

import java.time.Instant;

/** GPU utilisation by the owner (0..1), e.g. from {@code nvidia-smi}. */
public record GpuSeen(String source, Instant at, double busyFraction) implements OwnerSignal {}
