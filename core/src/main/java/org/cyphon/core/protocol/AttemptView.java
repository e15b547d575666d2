package org.cyphon.core.protocol;

import java.time.Instant;

/**
 * One attempt of a job: where it ran, how it ended.
 *
 * @param outcome an {@code AttemptOutcome}'s wire name ({@code exited}, ..., {@code lost}); null
 *                while it runs. A string, so a client reads a newer coordinator's outcomes too.
 */
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
