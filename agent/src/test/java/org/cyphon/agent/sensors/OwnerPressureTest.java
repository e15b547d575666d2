package org.cyphon.agent.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owner's pressure, apart from the jobs': which groups count as the owner's, and on this
 * machine's real cgroup2 hierarchy, that SCHED_IDLE jobs waiting for each other raise their own
 * group's pressure and not the owner's, while the owner's own contention does show.
 */
class OwnerPressureTest {
    private static final Path UNIFIED = Path.of("/sys/fs/cgroup/unified");

    @TempDir
    Path dir;

    private final List<Process> hogs = new ArrayList<>();
    private final List<Path> groups = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : hogs) {
            p.destroyForcibly();
            p.waitFor();
        }
        for (Path g : groups.reversed()) Files.deleteIfExists(g);
    }

    @Test
    void theOwnersGroupsAreEverythingOffTheAgentsAndTheJobsPaths() throws Exception {
        for (String g : List.of(
                "init.scope",
                "user.slice/user-1000.slice",
                "system.slice/cyphon-agent.service",
                "system.slice/cups.service",
                "cyphon/job-7")) {
            Files.createDirectories(dir.resolve(g));
        }
        OwnerPressure p = OwnerPressure.ownerGroups(
                Path.of("/proc"), dir, List.of("/system.slice/cyphon-agent.service", "cyphon"));

        assertThat(p.ownerGroupDirs())
                .extracting(d -> dir.relativize(d).toString())
                .containsExactlyInAnyOrder("init.scope", "user.slice", "system.slice/cups.service");
        assertThat(p.scope()).contains("owner's cgroups");
    }

    @Test
    void anAgentInTheRootGroupFallsBackToSystemWidePressureAndSaysWhy() {
        OwnerPressure p = OwnerPressure.ownerGroups(Path.of("/proc"), dir, List.of("/", "cyphon"));
        assertThat(p.scope()).startsWith("system-wide pressure (the agent runs in the root cgroup");
        assertThat(p.some10s("cpu"))
                .isEqualTo(
                        PressureStall.some10s(Path.of("/proc/pressure/cpu")), org.assertj.core.data.Offset.offset(5.0));
    }

    @Test
    void idleJobsWaitingForEachOtherDoNotReadAsTheOwnersPressureButTheOwnersOwnContentionDoes_realCgroup2()
            throws Exception {
        assertThat(UNIFIED.resolve("cgroup.controllers"))
                .as("this machine's cgroup2 mount")
                .exists();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Path jobs = group("cyphon-psi-jobs-" + tag);
        Path owner = group("cyphon-psi-owner-" + tag);
        // Only the test's own owner group counts: other groups on a shared machine carry other load.
        OwnerPressure pressure =
                OwnerPressure.ownerGroups(Path.of("/proc"), UNIFIED, List.of("/" + jobs.getFileName()));
        assertThat(pressure.ownerGroupDirs()).contains(owner);

        // Twice as many idle-priority jobs as cores: they wait for each other.
        int cores = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < cores * 2; i++) hogs.add(hogIn(jobs, true));
        await().atMost(Duration.ofSeconds(20)).until(() -> PressureStall.some10s(jobs.resolve("cpu.pressure")) > 20);
        assertThat(PressureStall.some10s(owner.resolve("cpu.pressure")))
                .as("the owner's group, with nobody waiting in it")
                .isLessThan(1);

        // The owner's own build: more normal-priority work than cores, in the owner's group.
        for (int i = 0; i < cores * 2; i++) hogs.add(hogIn(owner, false));
        await().atMost(Duration.ofSeconds(20)).until(() -> PressureStall.some10s(owner.resolve("cpu.pressure")) > 20);
        assertThat(pressure.some10s("cpu"))
                .isGreaterThanOrEqualTo(PressureStall.some10s(owner.resolve("cpu.pressure")) - 5);
    }

    private Path group(String name) throws Exception {
        Path g = Files.createDirectory(UNIFIED.resolve(name));
        groups.add(g);
        return g;
    }

    /** A busy loop that moves itself into {@code group} first; SCHED_IDLE when {@code idle}. */
    private static Process hogIn(Path group, boolean idle) throws Exception {
        String loop = "echo $$ > " + group.resolve("cgroup.procs") + "; exec " + (idle ? "chrt -i 0 " : "")
                + "sh -c 'while :; do :; done'";
        return new ProcessBuilder("sh", "-c", loop).start();
    }
}
