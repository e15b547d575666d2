package org.cyphon.agent.sandbox;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where and how the agent may isolate jobs; read from {@code agent.toml}.
 *
 * @param cgroupRoot where cgroup file systems are mounted, normally {@code /sys/fs/cgroup}: either a
 *                   cgroup2 mount itself, or a directory holding v1 controller mounts ({@code cpu},
 *                   {@code memory}, ...) and possibly a cgroup2 mount at {@code unified}
 * @param parent     our sub-tree, relative to the root of each hierarchy, default {@code cyphon};
 *                   job groups are made inside it. Slash-separated names, no {@code ..}
 * @param mode       {@code auto} (best available), or a forced {@code cgroup-v2}, {@code cgroup-v1}
 *                   or {@code nice-only}; a forced cgroup mode that cannot work falls back to
 *                   nice-only and says why in {@link Sandbox#note()}
 */
public record SandboxSettings(Path cgroupRoot, String parent, String mode) {

    public static final Set<String> MODES = Set.of("auto", "cgroup-v2", "cgroup-v1", "nice-only");
    private static final Pattern SAFE_PARENT =
            Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");

    public SandboxSettings {
        Objects.requireNonNull(cgroupRoot, "cgroupRoot");
        if (parent == null || parent.isBlank()) parent = "cyphon";
        if (!SAFE_PARENT.matcher(parent).matches()) {
            throw new IllegalArgumentException("sandbox parent '" + parent
                    + "' must be a relative path of names made of letters, digits, '.', '_', '-'");
        }
        if (mode == null || mode.isBlank()) mode = "auto";
        if (!MODES.contains(mode)) {
            throw new IllegalArgumentException(
                    "sandbox mode '" + mode + "' is not one of auto, cgroup-v2, cgroup-v1, nice-only");
        }
    }

    /** {@code /sys/fs/cgroup}, parent {@code cyphon}, mode {@code auto}. */
    public static SandboxSettings defaults() {
        return new SandboxSettings(Path.of("/sys/fs/cgroup"), "cyphon", "auto");
    }
}
