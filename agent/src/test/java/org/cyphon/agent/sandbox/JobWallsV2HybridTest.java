package org.cyphon.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The walls on the v2-shaped paths of this machine (its hybrid {@code unified} mount, which offers
 * no controllers): the namespaces hold, and the note says pids.max is missing.
 */
class JobWallsV2HybridTest extends JobWallsContract {
    @Override
    String mode() {
        return "cgroup-v2";
    }

    @Test
    void theNoteSaysWhatCannotBeEnforcedHere() throws Exception {
        String controllers = Files.readString(CGROUP_ROOT.resolve("unified/cgroup.controllers"));
        assertThat(sandbox.kind()).isEqualTo("cgroup-v2");
        if (!controllers.contains("pids")) assertThat(sandbox.note()).contains("no pids.max");
        assertThat(sandbox.note()).doesNotContain("no namespaces");
        // No device cgroup on v2 without a BPF program: GPUs are walled by path in the namespace.
        assertThat(sandbox.deviceWall()).isEqualTo(DeviceWall.MOUNTS);
    }
}
