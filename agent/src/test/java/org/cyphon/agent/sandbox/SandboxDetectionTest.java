package org.cyphon.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which kind {@link Sandboxes#detect} chooses, from the machine's real cgroup file systems. */
class SandboxDetectionTest {
    static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    final String parent = "cyphon-test-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path temp;

    @AfterEach
    void removeOurParent() throws Exception {
        CgroupCleanup.removeEverywhere(CGROUP_ROOT, parent);
    }

    @Test
    void autoChoosesV2OnlyWhenItsMountOffersCpuAndMemoryElseV1OnThisRootMachine() throws Exception {
        Path unified = CGROUP_ROOT.resolve("unified").resolve("cgroup.controllers");
        Path pure = CGROUP_ROOT.resolve("cgroup.controllers");
        Path v2 = Files.exists(pure) ? pure : unified;
        Set<String> offered =
                Files.exists(v2) ? Set.of(Files.readString(v2).trim().split("\\s+")) : Set.of();

        Sandbox s = Sandboxes.detect(new SandboxSettings(CGROUP_ROOT, parent, "auto"));

        String expected = offered.containsAll(Set.of("cpu", "memory")) ? "cgroup-v2" : "cgroup-v1";
        assertThat(s.kind()).isEqualTo(expected);
        assertThat(s.note()).as("full isolation on this machine").isEmpty();
    }

    @Test
    void aForcedCgroupModeThatCannotWorkFallsBackToNiceOnlyAndSaysWhy() throws Exception {
        Path empty = Files.createDirectory(temp.resolve("empty"));

        Sandbox v1 = Sandboxes.detect(new SandboxSettings(empty, "cyphon", "cgroup-v1"));
        Sandbox v2 = Sandboxes.detect(new SandboxSettings(empty, "cyphon", "cgroup-v2"));

        assertThat(v1.kind()).isEqualTo("nice-only");
        assertThat(v1.note())
                .isEqualTo("no usable cgroup: cgroup-v1: no cgroup v1 cpu, cpuacct, memory, freezer hierarchy under "
                        + empty + "; jobs run with SCHED_IDLE + nice 19 only, without memory limit");
        assertThat(v2.kind()).isEqualTo("nice-only");
        assertThat(v2.note()).startsWith("no usable cgroup: cgroup-v2: no cgroup2 hierarchy at " + empty);
        assertThat(empty).isEmptyDirectory();
    }

    @Test
    void everyLevelOfTheV1ParentPathIsIdleSoTheWholeSubtreeYieldsToTheOwner() throws Exception {
        String nested = parent + "/machine-1";
        Sandboxes.detect(new SandboxSettings(CGROUP_ROOT, nested, "cgroup-v1"));
        Sandboxes.detect(new SandboxSettings(CGROUP_ROOT, nested, "cgroup-v1")); // again, as after an agent restart

        for (Path level : List.of(
                CGROUP_ROOT.resolve("cpu").resolve(parent),
                CGROUP_ROOT.resolve("cpu").resolve(nested))) {
            assertThat(level.resolve("cpu.idle")).as(level.toString()).hasContent("1");
            assertThat(Integer.parseInt(
                            Files.readString(level.resolve("cpu.shares")).trim()))
                    .isLessThanOrEqualTo(3);
        }
    }

    @Test
    void levelsThatHoldTheAgentItselfAreNotOursToMakeIdle() {
        Path root = Path.of("/sys/fs/cgroup");
        assertThat(AgentCgroup.jobOnlyLevels(root, "cyphon/m1", "/"))
                .containsExactly(root.resolve("cyphon"), root.resolve("cyphon/m1"));
        assertThat(AgentCgroup.jobOnlyLevels(root, "system.slice/cyphon.service/jobs", "/system.slice/cyphon.service"))
                .containsExactly(root.resolve("system.slice/cyphon.service/jobs"));
        assertThat(AgentCgroup.jobOnlyLevels(root, "cyphon-x", "/cyphon")).containsExactly(root.resolve("cyphon-x"));
    }
}
