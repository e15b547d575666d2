package org.cyphon.core.protocol;

import java.util.List;

/**
 * The files of a job's working directory that match its output patterns, as the agent found them
 * ({@code POST .../attempts/{token}/outputs}): each one's contents already uploaded. The
 * coordinator records them as the job's outputs (a file of the same name from before is replaced)
 * and lists them in the job's events.
 *
 * @param files   every matching file, with the name relative to the working directory
 * @param moment  when they were taken: {@code "checkpoint"} or {@code "exit"}
 */
public record OutputFiles(List<File> files, String moment) {
    public OutputFiles {
        files = files == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(files));
    }

    /** One file: its place in the working directory, its content's SHA-256 and its size. */
    public record File(String name, String sha256, long size) {}
}
