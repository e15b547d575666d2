package org.cyphon.core.protocol;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A job as users see it ({@code GET /api/v1/jobs}, {@code GET /api/v1/jobs/{id}}).
 * {@code runSeconds} is wall time of the current or last attempt; {@code attempts} lists every
 * attempt only in the single-job view (null in listings).
 */
public record JobView(
        long id,
        String name,
        String owner,
        String state,
        List<String> command,
        double cpus,
        long memoryBytes,
        Long runtimeSeconds,
        int priority,
        int index,
        Map<String, String> env,
        int attemptCount,
        int maxAttempts,
        String machine,
        Instant submittedAt,
        Instant startedAt,
        Instant finishedAt,
        Long runSeconds,
        Integer exitCode,
        Double cpuSeconds,
        String reason,
        List<AttemptView> attempts) {}
