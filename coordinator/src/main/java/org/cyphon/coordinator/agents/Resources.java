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

    /** Most walls a heartbeat may list: the agent knows six; room for more in newer agents. */
    static final int MAX_WALLS = 32;

    /** What a heartbeat says of its jobs' room: each may be null (an older agent says none of it). */
    static void checkJobRoom(
            Integer maxJobs, Long diskFreeBytes, java.util.List<org.cyphon.core.protocol.WallView> walls) {
        if (maxJobs != null && (maxJobs < 1 || maxJobs > 100_000))
            throw ApiError.badField("maxJobs", "must be between 1 and 100000, got " + maxJobs);
        if (diskFreeBytes != null && diskFreeBytes < 0)
            throw ApiError.badField("diskFreeBytes", "must be 0 or more, got " + diskFreeBytes);
        if (walls == null) return;
        if (walls.size() > MAX_WALLS)
            throw ApiError.badField("walls", "lists " + walls.size() + " walls; at most " + MAX_WALLS);
        for (int i = 0; i < walls.size(); i++) {
            var w = walls.get(i);
            if (w == null) throw ApiError.badField("walls[" + i + "]", "is null");
            if (w.name() == null || w.name().isBlank() || w.name().length() > 64)
                throw ApiError.badField("walls[" + i + "].name", "must be 1 to 64 characters");
            if (w.detail().length() > 1000)
                throw ApiError.badField("walls[" + i + "].detail", "is longer than 1000 characters");
        }
    }
}
