package org.cyphon.coordinator.files;

import java.time.Duration;

/**
 * The coordinator's limits and lifetimes for jobs' files ({@code coordinator.toml}).
 *
 * @param maxInputBytes  {@code jobs.max_input_bytes}: the most one job's uploaded inputs may add up
 *                       to (a larger upload is refused before a byte of it is read, and so is a
 *                       submission naming more)
 * @param maxOutputBytes {@code jobs.max_output_bytes}: the most one job's stored outputs may add up
 *                       to; outputs past it are refused and the job's events say so
 * @param unusedGrace    {@code files.unused_grace}: how long a content no job needs any more (an
 *                       upload not submitted yet, the inputs of ended jobs) is kept before it is deleted
 * @param keepOutputs    {@code files.keep_outputs}: how long after a job ends its outputs are kept;
 *                       null: as long as the job is (the default)
 */
public record FileSettings(long maxInputBytes, long maxOutputBytes, Duration unusedGrace, Duration keepOutputs) {
    public static final long DEFAULT_MAX_INPUT_BYTES = 10L << 30;
    public static final long DEFAULT_MAX_OUTPUT_BYTES = 10L << 30;
    public static final Duration DEFAULT_UNUSED_GRACE = Duration.ofDays(1);
    public static final FileSettings DEFAULT =
            new FileSettings(DEFAULT_MAX_INPUT_BYTES, DEFAULT_MAX_OUTPUT_BYTES, DEFAULT_UNUSED_GRACE, null);

    public FileSettings {
        if (maxInputBytes < 0 || maxInputBytes > (1L << 42))
            throw new IllegalArgumentException("jobs.max_input_bytes: must be between 0 and 4T, got " + maxInputBytes);
        if (maxOutputBytes < 0 || maxOutputBytes > (1L << 42))
            throw new IllegalArgumentException(
                    "jobs.max_output_bytes: must be between 0 and 4T, got " + maxOutputBytes);
        if (unusedGrace == null) unusedGrace = DEFAULT_UNUSED_GRACE;
        if (unusedGrace.toMinutes() < 1 || unusedGrace.toDays() > 3660)
            throw new IllegalArgumentException("files.unused_grace: must be between 1m and 3660d");
        if (keepOutputs != null && (keepOutputs.toMinutes() < 1 || keepOutputs.toDays() > 36600))
            throw new IllegalArgumentException("files.keep_outputs: must be between 1m and 36600d, or off");
    }
}
