package org.cyphon.core.protocol;

import java.time.Instant;

/** One attempt of a job: where it ran, how it ended ({@code outcome} null while it runs). */
public record AttemptView(
        int attempt,
        String machine,
        long fencingToken,
        Instant startedAt,
        Instant endedAt,
        String outcome,
        Integer exitCode,
        Double cpuSeconds,
        String message) {}
