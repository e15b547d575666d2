package org.cyphon.core.protocol;

import java.util.List;
import java.util.Map;

/** One attempt to start, as handed to an agent by {@code GET /api/v1/agents/{machine}/work}. */
public record WorkAssignment(
        long jobId,
        int attempt,
        long fencingToken,
        String name,
        String owner,
        List<String> command,
        Map<String, String> env,
        int index,
        double cpus,
        long memoryBytes,
        Long runtimeSeconds) {}
