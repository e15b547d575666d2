package org.cyphon.agent.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a cgroup at the bottom of the CPU and I/O pecking order: idle scheduling where the kernel
 * has {@code cpu.idle} (5.15+), else the lowest weight. Used on our parent group as well as on each
 * job's group, because weights only compete among siblings: it is the parent that competes with the
 * owner's own processes at the top of the hierarchy.
 */
final class CpuWeight {
    private static final Logger log = LoggerFactory.getLogger(CpuWeight.class);

    private CpuWeight() {}

    /**
     * v1 {@code cpu.shares} 2 (the minimum) then {@code cpu.idle} 1. The order matters: the kernel
     * refuses weight writes to an idle group with EINVAL, so an already idle group (our parent after an
     * agent restart) is left alone; idle already implies the lowest weight.
     */
    static void lowestV1(Path cpuGroup) throws IOException {
        lowest(cpuGroup, "cpu.shares", "2");
    }

    /** v2 {@code cpu.weight} 1 (the minimum) then {@code cpu.idle} 1; same ordering reason as v1. */
    static void lowestV2(Path cpuGroup) throws IOException {
        lowest(cpuGroup, "cpu.weight", "1");
    }

    /** True when the group's kernel supports {@code cpu.idle}. */
    static boolean hasIdle(Path cpuGroup) {
        return Files.exists(cpuGroup.resolve("cpu.idle"));
    }

    /**
     * Caps the group at {@code cpuMillis}/1000 CPUs through the CFS bandwidth controller: the
     * placement promised the jobs beside it their share; idle scheduling already protects the owner.
     */
    static void capV1(Path cpuGroup, int cpuMillis) throws IOException {
        if (cpuMillis <= 0) return;
        long period = Long.parseLong(CgroupFile.read(cpuGroup.resolve("cpu.cfs_period_us")));
        CgroupFile.write(cpuGroup.resolve("cpu.cfs_quota_us"), Long.toString(quota(cpuMillis, period)));
    }

    /** v2 form of {@link #capV1}: {@code cpu.max} "QUOTA PERIOD". */
    static void capV2(Path cpuGroup, int cpuMillis) throws IOException {
        if (cpuMillis <= 0) return;
        long period = 100_000;
        CgroupFile.write(cpuGroup.resolve("cpu.max"), quota(cpuMillis, period) + " " + period);
    }

    /**
     * Lowest block-I/O weight, best effort: which files exist depends on the I/O scheduler (bfq, the
     * iocost controller, none), and ionice idle class already covers the job's own requests.
     */
    static void lowestIo(Path group) {
        tryWrite(group.resolve("blkio.bfq.weight"), "1"); // v1 with bfq: 1..1000
        tryWrite(group.resolve("blkio.weight"), "10"); // v1 with cfq: 10..1000
        tryWrite(group.resolve("io.bfq.weight"), "default 1"); // v2 with bfq
        tryWrite(group.resolve("io.weight"), "default 1"); // v2 iocost: 1..10000
    }

    private static void lowest(Path group, String weightFile, String minimum) throws IOException {
        Path idle = group.resolve("cpu.idle");
        boolean hasIdle = Files.exists(idle);
        if (hasIdle && "1".equals(CgroupFile.read(idle))) return;
        CgroupFile.write(group.resolve(weightFile), minimum);
        if (hasIdle) CgroupFile.write(idle, "1");
    }

    private static long quota(int cpuMillis, long period) {
        return Math.max(1000, cpuMillis * period / 1000); // the kernel's minimum quota is 1 ms
    }

    private static void tryWrite(Path file, String value) {
        if (!Files.exists(file)) return;
        try {
            CgroupFile.write(file, value);
        } catch (IOException e) {
            log.debug("I/O weight not set: {}", e.getMessage());
        }
    }
}
