package org.cyphon.agent.checkpoint;

import java.io.IOException;
import java.io.InputStream;

/**
 * A checkpoint directory's content, entry by entry, as it passes between the tar archive the
 * coordinator stores and the directory the job writes: a walk of the directory emits them
 * ({@link DirWalk}), a tar writer or a directory filler ({@link DirFill}) takes them, and
 * {@link EntryWire} carries them through a pipe between the agent and a process running as the
 * job's own account ({@link ArchiveAsJob}).
 *
 * <p>Paths are relative, {@code /}-separated, without {@code .} or {@code ..} segments; a
 * directory comes before what it holds. Uses only the JDK: the job-side process has nothing else
 * on its class path.
 */
interface ArchiveEntries {
    /** A directory; {@code mode} is its permission bits (0777 and below). */
    void directory(String path, int mode, long modifiedMillis) throws IOException;

    /** A regular file of {@code size} bytes, all of which the taker reads from {@code content}. */
    void file(String path, int mode, long modifiedMillis, long size, InputStream content) throws IOException;

    /** Something the walk left out (a link, a device, a file it may not read) and why. */
    void skipped(String path, String why) throws IOException;
}
