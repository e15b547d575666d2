package org.cyphon.agent.checkpoint;

import java.io.IOException;

/** A checkpoint over the size limit ({@code checkpoint.max_size}, or the coordinator's {@code jobs.max_checkpoint_bytes}). */
public final class CheckpointTooLargeException extends IOException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    public CheckpointTooLargeException(String message) {
        super(message);
    }
}
