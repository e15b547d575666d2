package org.cyphon.coordinator.agents;

import org.cyphon.coordinator.api.ApiError;

/** Checks what an agent declares about its machine (enroll, heartbeat). */
final class Resources {
    static final double MAX_CPUS = 100_000;

    private Resources() {}

    /** At enrollment: the machine must have some memory. */
    static void check(double cpus, long memoryBytes, String sandbox, String sandboxNote, String criu) {
        if (memoryBytes <= 0) throw ApiError.badField("memoryBytes", "must be greater than 0, got " + memoryBytes);
        checkBeat(cpus, memoryBytes, sandbox, sandboxNote, criu);
    }

    /**
     * In a heartbeat: the memory offered may be 0, when the desk VM holds all of it (a heartbeat
     * carries the machine's memory less the VM's, core's VmMemory).
     */
    static void checkBeat(double cpus, long memoryBytes, String sandbox, String sandboxNote, String criu) {
        if (!Double.isFinite(cpus) || cpus <= 0 || cpus > MAX_CPUS)
            throw ApiError.badField("cpus", "must be greater than 0 and at most " + (long) MAX_CPUS + ", got " + cpus);
        if (memoryBytes < 0) throw ApiError.badField("memoryBytes", "must not be negative, got " + memoryBytes);
        if (sandbox != null && sandbox.length() > 64)
            throw ApiError.badField("sandbox", "is longer than 64 characters");
        if (sandboxNote != null && sandboxNote.length() > 1000)
            throw ApiError.badField("sandboxNote", "is longer than 1000 characters");
        if (criu != null && criu.length() > 1000) throw ApiError.badField("criu", "is longer than 1000 characters");
    }
}
