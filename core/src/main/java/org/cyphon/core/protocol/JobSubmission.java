package org.cyphon.core.protocol;

import java.util.List;
import java.util.Map;

/**
 * What a user submits ({@code POST /api/v1/jobs}). Null fields take their defaults; see
 * {@link org.cyphon.core.job.JobSpecs} for defaults and limits. {@code count} > 1 creates that many
 * jobs, each with its {@code index} (0-based) in {@code CYPHON_INDEX} and substituted for
 * {@code {index}} in the command's arguments.
 */
public record JobSubmission(
        String name,
        List<String> command,
        Double cpus,
        String memory,
        String runtime,
        Integer priority,
        Map<String, String> env,
        Integer count,
        Integer maxAttempts) {
}
