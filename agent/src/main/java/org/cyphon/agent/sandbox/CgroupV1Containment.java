package org.cyphon.agent.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job's group in every v1 hierarchy of a {@link CgroupV1Tree}.
 *
 * <p>v1 has no {@code cgroup.kill}, so killing freezes the group first (nobody can fork while we
 * read the pid list), SIGKILLs every member, thaws so the signals are delivered, and repeats until
 * the group is empty: a tree that forks as fast as it is killed still cannot escape.
 */
final class CgroupV1Containment implements Containment {
    private static final Logger log = LoggerFactory.getLogger(CgroupV1Containment.class);
    private static final long FREEZE_WAIT_MS = 2_000;
    private static final long KILL_WAIT_MS = 10_000;
    private static final Path SYS_BLOCK = Path.of("/sys/block");

    private final Map<String, Path> groups;
    private final Path freezer;
    private volatile double lastCpuSeconds;
    private volatile String lingerNote = "";

    private CgroupV1Containment(Map<String, Path> groups) {
        this.groups = groups;
        this.freezer = groups.get("freezer");
    }

    /**
     * Creates the job's groups and sets their limits: lowest CPU weight and idle, the CPU cap, the
     * memory limit (and memory+swap, so swapping cannot get around it), lowest I/O weight, and
     * {@code pids.max} where the pids hierarchy is mounted.
     *
     * @throws IOException when a group exists with processes in it or cannot be made; groups made
     *     so far are removed again
     */
    static CgroupV1Containment create(CgroupV1Tree tree, LaunchSpec spec, int pidsMax) throws IOException {
        Map<String, Path> groups = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : tree.parents().entrySet()) {
            groups.put(e.getKey(), e.getValue().resolve(spec.id()));
        }
        CgroupV1Containment c = new CgroupV1Containment(groups);
        List<Path> made = new ArrayList<>();
        try {
            for (Path dir : c.distinctDirs()) {
                CgroupDirs.makeFresh(dir);
                made.add(dir);
            }
            Path cpu = groups.get("cpu");
            CpuWeight.capV1(cpu, spec.cpuMillis());
            CpuWeight.lowestV1(cpu);
            Path memory = groups.get("memory");
            String limit = Long.toString(spec.memoryBytes());
            CgroupFile.write(memory.resolve("memory.limit_in_bytes"), limit);
            // memsw must be >= limit_in_bytes, so it is written second; absent without swap accounting.
            Path memsw = memory.resolve("memory.memsw.limit_in_bytes");
            if (Files.exists(memsw)) CgroupFile.write(memsw, limit);
            if (groups.containsKey("blkio")) CpuWeight.lowestIo(groups.get("blkio"));
            // A fork bomb stops at pidsMax instead of filling the desk's process table.
            if (groups.containsKey("pids"))
                CgroupFile.write(groups.get("pids").resolve("pids.max"), Integer.toString(pidsMax));
            // By number, so no other path to the same device (a copy of the node, a link) opens it.
            if (groups.containsKey("devices")) {
                for (DeviceNode d : spec.hiddenDevices())
                    CgroupFile.write(groups.get("devices").resolve("devices.deny"), d.cgroupRule());
            }
        } catch (IOException e) {
            for (Path dir : made) CgroupDirs.removeQuietly(dir);
            throw e;
        }
        return c;
    }

    /** The containment of an existing group {@code id} (left by an earlier agent run), to kill and remove it. */
    static CgroupV1Containment adopt(CgroupV1Tree tree, String id) {
        Map<String, Path> groups = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : tree.parents().entrySet())
            groups.put(e.getKey(), e.getValue().resolve(id));
        return new CgroupV1Containment(groups);
    }

    @Override
    public List<Path> joinFiles() {
        return distinctDirs().stream().map(d -> d.resolve("cgroup.procs")).toList();
    }

    @Override
    public void started(ProcessHandle main) {}

    @Override
    public void sample() {}

    @Override
    public void freeze() throws IOException {
        Path state = freezer.resolve("freezer.state");
        CgroupFile.write(state, "FROZEN");
        long deadline = System.currentTimeMillis() + FREEZE_WAIT_MS;
        while (!"FROZEN".equals(CgroupFile.read(state))) {
            if (System.currentTimeMillis() > deadline) {
                // A task in uninterruptible sleep keeps the group FREEZING; the rest are stopped.
                log.warn("cgroup {} still FREEZING after {} ms", freezer, FREEZE_WAIT_MS);
                return;
            }
            CgroupFile.write(state, "FROZEN"); // documented way to retry a freeze that is stuck
            pause(2);
        }
    }

    @Override
    public void thaw() throws IOException {
        CgroupFile.write(freezer.resolve("freezer.state"), "THAWED");
    }

    /**
     * {@code memory.soft_limit_in_bytes} (-1 lifts it) and {@code blkio.throttle.read_bps_device} /
     * {@code write_bps_device} per disk (0 lifts it). Throttles go on the job's own group because
     * v1 blkio throttling is not hierarchical.
     */
    @Override
    public void linger(LingerLimits limits) throws IOException {
        List<String> notes = new ArrayList<>();
        Path soft = groups.get("memory").resolve("memory.soft_limit_in_bytes");
        if (Files.exists(soft)) CgroupFile.write(soft, limits == null ? "-1" : Long.toString(limits.memoryBytes()));
        else notes.add("no memory.soft_limit_in_bytes");
        long rate = limits == null ? 0 : limits.ioBytesPerSecond();
        Path blkio = groups.get("blkio");
        if (blkio == null || !Files.exists(blkio.resolve("blkio.throttle.read_bps_device"))) {
            if (rate > 0) notes.add("no blkio throttle here: I/O not capped");
        } else {
            List<String> refused = new ArrayList<>();
            for (String dev : BlockDevices.majorMinors(SYS_BLOCK)) {
                try {
                    CgroupFile.write(blkio.resolve("blkio.throttle.read_bps_device"), dev + " " + rate);
                    CgroupFile.write(blkio.resolve("blkio.throttle.write_bps_device"), dev + " " + rate);
                } catch (IOException e) {
                    refused.add(dev);
                }
            }
            if (!refused.isEmpty() && rate > 0) notes.add("devices " + refused + " refused an I/O throttle");
        }
        lingerNote = String.join("; ", notes);
    }

    @Override
    public String lingerNote() {
        return lingerNote;
    }

    @Override
    public int killAll() throws IOException {
        Path procs = freezer.resolve("cgroup.procs");
        Set<Long> killed = new HashSet<>();
        long deadline = System.currentTimeMillis() + KILL_WAIT_MS;
        while (!CgroupFile.pids(procs).isEmpty()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IOException("processes " + CgroupFile.pids(procs) + " survive SIGKILL in " + freezer);
            }
            freeze();
            for (long pid : CgroupFile.pids(procs)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                killed.add(pid);
            }
            thaw();
            CgroupDirs.awaitEmpty(procs, 200);
        }
        return killed.size();
    }

    @Override
    public double cpuSeconds() {
        try {
            lastCpuSeconds =
                    Long.parseLong(CgroupFile.read(groups.get("cpuacct").resolve("cpuacct.usage"))) / 1e9;
        } catch (IOException | NumberFormatException e) {
            // The group is gone: the last reading is the final one.
        }
        return lastCpuSeconds;
    }

    @Override
    public long oomKills() {
        try {
            return Math.max(0, CgroupFile.readKeyed(groups.get("memory").resolve("memory.oom_control"), "oom_kill"));
        } catch (IOException e) {
            return 0; // kernels before 4.13 do not count OOM kills per group
        }
    }

    @Override
    public void remove() throws IOException {
        cpuSeconds(); // keep the final reading
        IOException failure = null;
        for (Path dir : distinctDirs()) {
            try {
                CgroupDirs.remove(dir);
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure != null) throw failure;
    }

    @Override
    public String describe() {
        return "cgroup v1 " + freezer.getFileName() + " (cpu, memory, freezer"
                + (groups.containsKey("blkio") ? ", blkio" : "") + (groups.containsKey("pids") ? ", pids" : "")
                + (groups.containsKey("devices") ? ", devices" : "") + ")";
    }

    /** The job's directories, once each (co-mounted cpu and cpuacct share one). */
    private Set<Path> distinctDirs() {
        return new LinkedHashSet<>(groups.values());
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
