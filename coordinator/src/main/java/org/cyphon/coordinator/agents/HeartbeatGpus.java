package org.cyphon.coordinator.agents;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.core.protocol.GpuView;

/**
 * Checks the GPUs a heartbeat lists before they are stored and counted: each is what placement
 * hands out whole, so a list with holes or repeats would let two jobs share a device.
 */
final class HeartbeatGpus {
    /** More than any desk holds; a longer list is a broken or hostile agent. */
    static final int MAX = 64;

    private static final int MAX_TEXT = 256;

    private HeartbeatGpus() {}

    /** @throws ApiError 400 naming the first bad entry */
    static void check(List<GpuView> gpus) {
        if (gpus == null) return;
        if (gpus.size() > MAX) throw ApiError.badField("gpus", gpus.size() + " GPUs; at most " + MAX);
        Set<Integer> indexes = new HashSet<>();
        Set<String> uuids = new HashSet<>();
        for (int i = 0; i < gpus.size(); i++) {
            GpuView g = gpus.get(i);
            String field = "gpus[" + i + "]";
            if (g == null) throw ApiError.badField(field, "is null");
            if (g.index() < 0 || !indexes.add(g.index()))
                throw ApiError.badField(field + ".index", "must be a distinct index >= 0, got " + g.index());
            if (g.uuid() == null || g.uuid().isBlank() || g.uuid().length() > MAX_TEXT || !uuids.add(g.uuid()))
                throw ApiError.badField(field + ".uuid", "must be a distinct, non-empty UUID");
            if (g.name() != null && g.name().length() > MAX_TEXT)
                throw ApiError.badField(field + ".name", "is longer than " + MAX_TEXT + " characters");
            if (g.memoryBytes() < 0) throw ApiError.badField(field + ".memoryBytes", "must be >= 0");
            Double busy = g.busyFraction();
            if (busy != null && !(busy >= 0 && busy <= 1))
                throw ApiError.badField(field + ".busyFraction", "must be between 0 and 1, got " + busy);
            if (g.jobId() != null && g.jobId() < 1)
                throw ApiError.badField(field + ".jobId", "must be a job id, got " + g.jobId());
        }
    }
}
