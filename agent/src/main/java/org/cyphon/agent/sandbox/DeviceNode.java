package org.cyphon.agent.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A character device node a job must not open (a GPU that is not its own, a GPU driver's control
 * node when it has no GPU): its path, walled in the job's mount namespace, and its number, denied
 * in its device cgroup where there is one.
 */
public record DeviceNode(Path path, int major, int minor) {
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;

    public DeviceNode {
        Objects.requireNonNull(path, "path");
        path = path.toAbsolutePath();
        if (major < 0 || minor < 0) throw new IllegalArgumentException(path + ": bad device number");
    }

    /**
     * The character device at {@code path}, by its {@code st_rdev}; null when it is none (missing,
     * a regular file, a directory, a block device).
     */
    public static DeviceNode read(Path path) {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((mode & S_IFMT) != S_IFCHR) return null;
            long rdev = (Long) Files.getAttribute(path, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
            return new DeviceNode(path, major(rdev), minor(rdev));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    /** glibc's {@code gnu_dev_major}: the 12-bit major split across the 64-bit {@code dev_t}. */
    static int major(long rdev) {
        return (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
    }

    /** glibc's {@code gnu_dev_minor}: the 20-bit minor split across the 64-bit {@code dev_t}. */
    static int minor(long rdev) {
        return (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
    }

    /** The v1 device cgroup's rule for it: {@code c MAJOR:MINOR rwm}. */
    String cgroupRule() {
        return "c " + major + ":" + minor + " rwm";
    }
}
