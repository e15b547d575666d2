package org.cyphon.core.protocol;

import java.time.Instant;
import java.util.List;

/**
 * A job's stored output files ({@code GET /api/v1/jobs/{id}/outputs}; its owner and admins only).
 *
 * @param files      every file, by name; fetch each with {@code GET /api/v1/jobs/{id}/outputs/{sha256}}
 * @param totalBytes their sizes added up
 * @param refused    why outputs the job left were not stored (over {@code jobs.max_output_bytes}),
 *                   or null
 * @param expired    the job's outputs were kept {@code files.keep_outputs} after it ended and are
 *                   gone; null when they are still here
 */
public record JobOutputs(long jobId, List<File> files, long totalBytes, String refused, String expired) {
    public JobOutputs {
        files = files == null ? List.of() : List.copyOf(files);
    }

    /**
     * One stored output file.
     *
     * @param attempt  the attempt that stored this version of it
     * @param storedAt when
     */
    public record File(String name, String sha256, long size, int attempt, Instant storedAt) {}
}
