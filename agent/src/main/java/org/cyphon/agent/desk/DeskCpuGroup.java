package org.cyphon.agent.desk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The cgroup of one desk VM: accounts the CPU time of the whole QEMU process (vCPUs, emulation,
 * I/O threads) and caps it. cgroup v2 ({@code cpu.max}, {@code cpu.stat}) when the cgroup root is a
 * cgroup2 mount (a modern desktop), else the v1 {@code cpu} hierarchy ({@code cpu.cfs_quota_us})
 * with {@code cpuacct} for accounting.
 *
 * <p>Why the whole process and not only the vCPU threads: the cap is a promise about how much of
 * the machine the guest may take, and under emulation or heavy I/O much of that is spent outside
 * the vCPU threads. The vCPU thread ids are still reported ({@code query-cpus-fast}) for whoever
 * wants them apart.
 *
 * <p>The job sandbox's cgroup classes are package-private and make their groups idle, the opposite
 * of what the owner's VM needs, so this small class does its own few writes.
 */
final class DeskCpuGroup {
    private static final long PERIOD_US = 100_000;

    private final boolean v2;
    /** v2: the group; v1: the group in the cpu hierarchy. */
    private final Path cpuDir;
    /** v2: the group; v1: the group in the cpuacct hierarchy (the same directory when co-mounted). */
    private final Path acctDir;

    private DeskCpuGroup(boolean v2, Path cpuDir, Path acctDir) {
        this.v2 = v2;
        this.cpuDir = cpuDir;
        this.acctDir = acctDir;
    }

    /**
     * Opens (making it when missing) the group {@code parent/name} under {@code cgroupRoot}.
     *
     * @throws DeskException naming the hierarchy or directory that cannot be used
     */
    static DeskCpuGroup open(Path cgroupRoot, String parent, String name) throws DeskException {
        String relative = parent + "/" + name;
        try {
            if (Files.exists(cgroupRoot.resolve("cgroup.controllers"))) {
                Path dir = cgroupRoot.resolve(relative);
                Path level = cgroupRoot;
                for (String part : parent.split("/")) {
                    // Each level above the desk's group hands the cpu controller down (v2 enables
                    // controllers per subtree; the root's is normally on already).
                    enableCpu(level);
                    level = level.resolve(part);
                    Files.createDirectories(level);
                }
                enableCpu(level);
                Files.createDirectories(dir);
                return new DeskCpuGroup(true, dir, dir);
            }
            Path cpu = v1Mount(cgroupRoot, "cpu");
            Path acct = v1Mount(cgroupRoot, "cpuacct");
            if (cpu == null || acct == null) {
                throw DeskException.failed("no cgroup v2 at " + cgroupRoot + " and no cgroup v1 "
                        + (cpu == null ? "cpu" : "cpuacct") + " hierarchy under it");
            }
            Path cpuDir = cpu.resolve(relative);
            Path acctDir = acct.resolve(relative);
            Files.createDirectories(cpuDir);
            Files.createDirectories(acctDir);
            return new DeskCpuGroup(false, cpuDir, acctDir);
        } catch (IOException e) {
            throw DeskException.failed(
                    "cannot make the desk's cgroup " + relative + " under " + cgroupRoot + ": " + e.getMessage(), e);
        }
    }

    /** Moves every thread of {@code pid} into the group; threads it starts later are born there. */
    void add(long pid) throws DeskException {
        write(cpuDir.resolve("cgroup.procs"), Long.toString(pid));
        if (!acctDir.equals(cpuDir)) write(acctDir.resolve("cgroup.procs"), Long.toString(pid));
    }

    /**
     * Caps the group at {@code cores} CPUs' worth of time (0.2 = a fifth of one core; 2 = two whole
     * cores), or lifts the cap when null.
     */
    void cap(Double cores) throws DeskException {
        long quota = cores == null ? -1 : Math.max(1000, Math.round(cores * PERIOD_US));
        if (v2) {
            write(cpuDir.resolve("cpu.max"), (quota < 0 ? "max" : Long.toString(quota)) + " " + PERIOD_US);
        } else {
            write(cpuDir.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
            write(cpuDir.resolve("cpu.cfs_quota_us"), Long.toString(quota));
        }
    }

    /**
     * Sets the group's CPU weight: v2 {@code cpu.weight} as given (1..10000, default 100); v1
     * {@code cpu.shares} scaled so that 100 is the default 1024 (2..262144).
     */
    void weight(int weight) throws DeskException {
        if (v2) write(cpuDir.resolve("cpu.weight"), Integer.toString(weight));
        else write(cpuDir.resolve("cpu.shares"), Long.toString(sharesOf(weight)));
    }

    /** The v1 {@code cpu.shares} of a v2 weight: 100 is 1024, within the kernel's 2..262144. */
    static long sharesOf(int weight) {
        return Math.max(2, Math.min(262_144, Math.round(weight * 10.24)));
    }

    /** CPU time used by everything that ever ran in the group. */
    Duration usage() throws DeskException {
        if (v2) {
            for (String line : read(acctDir.resolve("cpu.stat")).split("\n")) {
                String[] kv = line.trim().split("\\s+");
                if (kv.length == 2 && kv[0].equals("usage_usec")) return Duration.ofNanos(Long.parseLong(kv[1]) * 1000);
            }
            throw DeskException.failed(acctDir.resolve("cpu.stat") + " has no usage_usec");
        }
        return Duration.ofNanos(Long.parseLong(read(acctDir.resolve("cpuacct.usage"))));
    }

    /** The group's directory (v1: in the cpu hierarchy), for status and for people looking at it. */
    Path dir() {
        return cpuDir;
    }

    /** The file counting the group's CPU time: {@code cpuacct.usage} (nanoseconds) or {@code cpu.stat} ({@code usage_usec}). */
    Path usageFile() {
        return v2 ? acctDir.resolve("cpu.stat") : acctDir.resolve("cpuacct.usage");
    }

    /** Removes the group once QEMU has gone; a group still holding a process stays. */
    void removeIfEmpty() {
        for (Path dir : acctDir.equals(cpuDir) ? new Path[] {cpuDir} : new Path[] {cpuDir, acctDir}) {
            try {
                if (read(dir.resolve("cgroup.procs")).isBlank()) Files.deleteIfExists(dir);
            } catch (IOException | DeskException ignored) {
                // A group that cannot be removed now is reused by the next start.
            }
        }
    }

    private static void enableCpu(Path level) throws IOException {
        Path control = level.resolve("cgroup.subtree_control");
        if (Files.readString(control).contains("cpu")) return;
        try {
            Files.writeString(control, "+cpu", StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("cannot enable the cpu controller in " + control + ": " + e.getMessage(), e);
        }
    }

    /** The v1 hierarchy of {@code controller}, through co-mount symlinks ({@code cpu -> cpu,cpuacct}); null when absent. */
    private static Path v1Mount(Path root, String controller) {
        Path dir = root.resolve(controller);
        // "tasks" exists only in v1 hierarchies.
        if (!Files.isDirectory(dir) || !Files.exists(dir.resolve("tasks"))) return null;
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return null;
        }
    }

    private static void write(Path file, String value) throws DeskException {
        try {
            // Never create: a missing control file is a missing controller, not a file to make.
            Files.write(file, value.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            throw DeskException.failed(
                    "cannot write '" + value + "' to " + file + ": no such file (is the cpu controller enabled?)", e);
        } catch (IOException e) {
            throw DeskException.failed("cannot write '" + value + "' to " + file + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path file) throws DeskException {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw DeskException.failed("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
