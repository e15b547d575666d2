package org.cyphon.core.protocol;

import java.util.List;

/**
 * The answer to a {@link BlobQuery}: what to upload, and from which byte (what an interrupted
 * upload already delivered is kept: resume there).
 *
 * @param missing        the contents the coordinator does not hold for the caller, each with the
 *                       offset an upload continues from (0: from the start)
 * @param maxInputBytes  the coordinator's {@code jobs.max_input_bytes}: the most one job's uploaded
 *                       inputs may add up to
 */
public record BlobQueryReply(List<Missing> missing, long maxInputBytes) {
    public BlobQueryReply {
        missing = missing == null ? List.of() : List.copyOf(missing);
    }

    /** A content to upload, continuing at {@code offset}. */
    public record Missing(String sha256, long size, long offset) {}
}
