package org.cyphon.core.protocol;

import java.util.List;

/**
 * The shared storage paths online desks have mounted ({@code GET /api/v1/files/shared}): an input
 * under one of them need not be sent, the job can use it where it is.
 */
public record SharedPathList(List<String> paths) {
    public SharedPathList {
        paths = paths == null ? List.of() : List.copyOf(paths);
    }
}
