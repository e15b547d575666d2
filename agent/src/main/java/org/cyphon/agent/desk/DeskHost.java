package org.cyphon.agent.desk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a desk VM needs from the machine it runs on: the QEMU programs and where to make its cgroup.
 *
 * @param qemuSystem   {@code qemu-system-x86_64}
 * @param qemuImg      {@code qemu-img}
 * @param cgroupRoot   where cgroup file systems are mounted, normally {@code /sys/fs/cgroup}
 * @param cgroupParent the group that holds one group per desk, relative to each hierarchy's root,
 *                     default {@code cyphon-desk}. Deliberately not under the job sandbox's
 *                     {@code cyphon} tree, which is made idle: the VM is the owner's machine and
 *                     competes for the CPU at normal weight
 */
public record DeskHost(Path qemuSystem, Path qemuImg, Path cgroupRoot, String cgroupParent) {
    private static final Pattern SAFE_PARENT =
            Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");

    public DeskHost {
        Objects.requireNonNull(qemuSystem, "qemuSystem");
        Objects.requireNonNull(qemuImg, "qemuImg");
        Objects.requireNonNull(cgroupRoot, "cgroupRoot");
        if (cgroupParent == null || !SAFE_PARENT.matcher(cgroupParent).matches()) {
            throw new IllegalArgumentException("desk cgroup parent '" + cgroupParent
                    + "' must be a relative path of names made of letters, digits, '.', '_', '-'");
        }
    }

    /**
     * QEMU from {@code PATH} (or {@code /usr/bin}, {@code /usr/local/bin}), cgroups under
     * {@code /sys/fs/cgroup}, desks' groups in {@code cyphon-desk}.
     *
     * @throws DeskException saying which package to install when a QEMU program is missing
     */
    public static DeskHost find() throws DeskException {
        return find(Path.of("/sys/fs/cgroup"), "cyphon-desk");
    }

    /** As {@link #find()}, with the cgroup root and parent given. */
    public static DeskHost find(Path cgroupRoot, String cgroupParent) throws DeskException {
        Path system = locate("qemu-system-x86_64")
                .orElseThrow(
                        () -> DeskException.failed(
                                "qemu-system-x86_64 is not installed: install Debian's qemu-system-x86 and qemu-utils packages"));
        Path img = locate("qemu-img")
                .orElseThrow(
                        () -> DeskException.failed("qemu-img is not installed: install Debian's qemu-utils package"));
        return new DeskHost(system, img, cgroupRoot, cgroupParent);
    }

    private static Optional<Path> locate(String program) {
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) dirs.addAll(List.of(path.split(":")));
        dirs.addAll(List.of("/usr/bin", "/usr/local/bin", "/bin"));
        for (String dir : dirs) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }
}
