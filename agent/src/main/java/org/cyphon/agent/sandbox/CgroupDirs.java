package org.cyphon.agent.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates and removes job cgroup directories, the same way in v1 and v2. */
final class CgroupDirs {
    private static final Logger log = LoggerFactory.getLogger(CgroupDirs.class);
    private static final long REMOVE_WAIT_MS = 5_000;

    private CgroupDirs() {}

    /**
     * Makes {@code dir} as a new, empty group. A left-over empty group of the same name (an agent that
     * died before cleaning up) is replaced, so counters such as {@code oom_kill} start at zero; one
     * that still holds processes is refused, since they are not ours to kill.
     */
    static void makeFresh(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            if (!CgroupFile.pids(dir.resolve("cgroup.procs")).isEmpty()) {
                throw new IOException("cgroup " + dir + " already exists and holds processes");
            }
            remove(dir);
        }
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new IOException("cannot create cgroup " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * rmdir of an empty group. The kernel answers EBUSY for a short while after the last member was
     * killed (it is still exiting), so this retries until a deadline.
     */
    static void remove(Path dir) throws IOException {
        long deadline = System.currentTimeMillis() + REMOVE_WAIT_MS;
        while (true) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException("cannot remove cgroup " + dir + ": " + e.getMessage(), e);
                }
                pause();
            }
        }
    }

    static void removeQuietly(Path dir) {
        try {
            remove(dir);
        } catch (IOException e) {
            log.warn("{}", e.getMessage());
        }
    }

    /** Waits until {@code procs} lists no process or {@code maxMs} passed; true when empty. */
    static boolean awaitEmpty(Path procs, long maxMs) throws IOException {
        long deadline = System.currentTimeMillis() + maxMs;
        while (!CgroupFile.pids(procs).isEmpty()) {
            if (System.currentTimeMillis() > deadline) return false;
            pause();
        }
        return true;
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
