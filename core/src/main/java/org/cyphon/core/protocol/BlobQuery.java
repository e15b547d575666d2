package org.cyphon.core.protocol;

import java.util.List;

/**
 * "Which of these do you lack?" ({@code POST /api/v1/files/query}, and the agents'
 * {@code POST .../attempts/{token}/blobs/query}): file contents named by their SHA-256 and size,
 * asked before anything is sent, so that a content is uploaded once.
 */
public record BlobQuery(List<Blob> blobs) {
    public BlobQuery {
        blobs = blobs == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(blobs));
    }

    /** One content: its SHA-256 (lower-case hex) and its size in bytes. */
    public record Blob(String sha256, long size) {}
}
