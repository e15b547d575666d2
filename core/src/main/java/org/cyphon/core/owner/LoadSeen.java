package org.cyphon.core.owner;

import java.time.Instant;

/**
 * The owner's demand on the machine: CPUs in use outside Cyphon's job cgroups (0..cores), and the
 * kernel's pressure stall information ("some", 10 s average, percent) for CPU, memory and I/O.
 * Pressure is negative when the kernel has no PSI.
 */
public record LoadSeen(
        String source,
        Instant at,
        double ownerCpus,
        double cores,
        double cpuPressure,
        double memoryPressure,
        double ioPressure)
        implements OwnerSignal {}
