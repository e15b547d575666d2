package org.cyphon.agent.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job's leaf group under a {@link CgroupV2Tree}.
 *
 * <p>Kill writes {@code cgroup.kill} (5.14+), which SIGKILLs every member at once, frozen or not,
 * and cannot be outrun by forking; kernels without it get the v1 loop of freeze, SIGKILL, thaw.
 */
final class CgroupV2Containment implements Containment {
    private static final Logger log = LoggerFactory.getLogger(CgroupV2Containment.class);
    private static final long FREEZE_WAIT_MS = 2_000;
    private static final long KILL_WAIT_MS = 10_000;
    private static final Path SYS_BLOCK = Path.of("/sys/block");

    private final Path group;
    private volatile double lastCpuSeconds;
    private volatile String lingerNote = "";

    private CgroupV2Containment(Path group) {
        this.group = group;
    }

    /**
     * Creates the job's group: idle and lowest CPU weight, the CPU cap, {@code memory.max} with no
     * swap on top (so swapping cannot get around the limit) and {@code memory.oom.group} so an OOM
     * kill takes the whole job rather than leaving a maimed tree; lowest I/O weight; {@code pids.max}. No
     * {@code memory.high}: throttling a job just below its limit only makes it slower before it is
     * killed anyway, while the owner is protected by the limit itself.
     */
    static CgroupV2Containment create(CgroupV2Tree tree, LaunchSpec spec, int pidsMax) throws IOException {
        Path group = tree.parent().resolve(spec.id());
        CgroupDirs.makeFresh(group);
        try {
            if (tree.has("cpu")) {
                CpuWeight.capV2(group, spec.cpuMillis());
                CpuWeight.lowestV2(group);
            }
            if (tree.has("memory")) {
                CgroupFile.write(group.resolve("memory.max"), Long.toString(spec.memoryBytes()));
                writeIfPresent(group.resolve("memory.swap.max"), "0");
                writeIfPresent(group.resolve("memory.oom.group"), "1");
            }
            CpuWeight.lowestIo(group);
            // A fork bomb stops at pidsMax instead of filling the desk's process table.
            if (tree.has("pids")) CgroupFile.write(group.resolve("pids.max"), Integer.toString(pidsMax));
        } catch (IOException e) {
            CgroupDirs.removeQuietly(group);
            throw e;
        }
        return new CgroupV2Containment(group);
    }

    /** The containment of an existing group {@code id} (left by an earlier agent run), to kill and remove it. */
    static CgroupV2Containment adopt(CgroupV2Tree tree, String id) {
        return at(tree.parent().resolve(id));
    }

    /** The containment of the existing job group {@code group}. */
    static CgroupV2Containment at(Path group) {
        return new CgroupV2Containment(group);
    }

    @Override
    public List<Path> joinFiles() {
        return List.of(group.resolve("cgroup.procs"));
    }

    @Override
    public void started(ProcessHandle main) {}

    @Override
    public void sample() {}

    @Override
    public void freeze() throws IOException {
        CgroupFile.write(group.resolve("cgroup.freeze"), "1");
        long deadline = System.currentTimeMillis() + FREEZE_WAIT_MS;
        while (CgroupFile.readKeyed(group.resolve("cgroup.events"), "frozen") != 1) {
            if (System.currentTimeMillis() > deadline) {
                log.warn("cgroup {} not frozen after {} ms", group, FREEZE_WAIT_MS);
                return;
            }
            pause();
        }
    }

    @Override
    public void thaw() throws IOException {
        CgroupFile.write(group.resolve("cgroup.freeze"), "0");
    }

    /**
     * {@code memory.high} ("max" lifts it): above it the kernel throttles the job and reclaims its
     * pages, so they go before the owner's; and {@code io.max} per disk. Both need their controller
     * enabled for our subtree; without it that part stays off and {@link #lingerNote()} says so.
     */
    @Override
    public void linger(LingerLimits limits) throws IOException {
        List<String> notes = new ArrayList<>();
        Path high = group.resolve("memory.high");
        if (Files.exists(high)) CgroupFile.write(high, limits == null ? "max" : Long.toString(limits.memoryBytes()));
        else notes.add("no memory controller: memory not capped");
        long rate = limits == null ? 0 : limits.ioBytesPerSecond();
        Path io = group.resolve("io.max");
        if (!Files.exists(io)) {
            if (rate > 0) notes.add("no io controller: I/O not capped");
        } else {
            String value = rate == 0 ? "rbps=max wbps=max" : "rbps=" + rate + " wbps=" + rate;
            List<String> refused = new ArrayList<>();
            for (String dev : BlockDevices.majorMinors(SYS_BLOCK)) {
                try {
                    CgroupFile.write(io, dev + " " + value);
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
        Path procs = group.resolve("cgroup.procs");
        int members = CgroupFile.pids(procs).size();
        if (members == 0) return 0;
        Path kill = group.resolve("cgroup.kill");
        if (Files.exists(kill)) {
            CgroupFile.write(kill, "1");
            if (CgroupDirs.awaitEmpty(procs, KILL_WAIT_MS)) return members;
            throw new IOException("processes " + CgroupFile.pids(procs) + " survive cgroup.kill in " + group);
        }
        long deadline = System.currentTimeMillis() + KILL_WAIT_MS;
        while (!CgroupFile.pids(procs).isEmpty()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IOException("processes " + CgroupFile.pids(procs) + " survive SIGKILL in " + group);
            }
            freeze();
            for (long pid : CgroupFile.pids(procs)) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            thaw();
            CgroupDirs.awaitEmpty(procs, 200);
        }
        return members;
    }

    @Override
    public double cpuSeconds() {
        try {
            long usec = CgroupFile.readKeyed(group.resolve("cpu.stat"), "usage_usec");
            if (usec >= 0) lastCpuSeconds = usec / 1e6;
        } catch (IOException e) {
            // The group is gone: the last reading is the final one.
        }
        return lastCpuSeconds;
    }

    @Override
    public long oomKills() {
        Path events = group.resolve("memory.events");
        if (!Files.exists(events)) return 0;
        try {
            return Math.max(0, CgroupFile.readKeyed(events, "oom_kill"));
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void remove() throws IOException {
        cpuSeconds();
        CgroupDirs.remove(group);
    }

    @Override
    public String describe() {
        return "cgroup v2 " + group;
    }

    private static void writeIfPresent(Path file, String value) throws IOException {
        if (Files.exists(file)) CgroupFile.write(file, value);
    }

    private static void pause() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
