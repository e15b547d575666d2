package org.cyphon.agent.sandbox;

import java.nio.file.Path;
import java.util.List;
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
 * @param pidsMax    most processes and threads one job may have at once ({@code pids.max})
 * @param shareHomes home directories jobs may see; every other directory under {@code /home}
 *                   (and {@code /root}) is hidden behind an empty one in the job's mount namespace
 * @param runAs      {@code "slot"}: jobs of a root agent run as the pool accounts {@code slotPrefix1..maxJobs};
 *                   {@code "submitter"}: as the submitter's own account (see {@link JobAccounts})
 * @param slotPrefix the slot accounts' names without their number, default {@code cyphon-slot}
 * @param maxJobs    most jobs this desk runs at once (and so the number of slots); 0 = 4 per CPU
 */
public record SandboxSettings(
        Path cgroupRoot,
        String parent,
        String mode,
        int pidsMax,
        List<Path> shareHomes,
        String runAs,
        String slotPrefix,
        int maxJobs) {

    /** The default {@code pids.max} of a job. */
    public static final int DEFAULT_PIDS_MAX = 1024;

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
        if (pidsMax <= 0) pidsMax = DEFAULT_PIDS_MAX;
        shareHomes = shareHomes == null ? List.of() : List.copyOf(shareHomes);
        if (runAs == null || runAs.isBlank()) runAs = "slot";
        if (!runAs.equals("slot") && !runAs.equals("submitter")) {
            throw new IllegalArgumentException("sandbox run_as '" + runAs + "' is not slot or submitter");
        }
        if (slotPrefix == null || slotPrefix.isBlank()) slotPrefix = "cyphon-slot";
        if (!slotPrefix.matches("[a-z_][a-z0-9_-]{0,20}")) {
            throw new IllegalArgumentException("sandbox slot_prefix '" + slotPrefix
                    + "' is not the start of a user name (lower-case letters, digits, '_', '-'; at most 21)");
        }
        if (maxJobs < 0) throw new IllegalArgumentException("max_jobs must be positive, got " + maxJobs);
        if (maxJobs == 0) maxJobs = 4 * Runtime.getRuntime().availableProcessors();
        for (Path home : shareHomes) {
            if (!home.isAbsolute()) {
                throw new IllegalArgumentException("sandbox share_homes: '" + home + "' is not an absolute path");
            }
        }
    }

    /** Default pids.max, no shared homes. */
    public SandboxSettings(Path cgroupRoot, String parent, String mode) {
        this(cgroupRoot, parent, mode, DEFAULT_PIDS_MAX, List.of(), "slot", "cyphon-slot", 0);
    }

    /** These settings with another cgroup parent (an agent nests its machine's name under it). */
    public SandboxSettings withParent(String newParent) {
        return new SandboxSettings(cgroupRoot, newParent, mode, pidsMax, shareHomes, runAs, slotPrefix, maxJobs);
    }

    /** {@code /sys/fs/cgroup}, parent {@code cyphon}, mode {@code auto}. */
    public static SandboxSettings defaults() {
        return new SandboxSettings(Path.of("/sys/fs/cgroup"), "cyphon", "auto");
    }
}
