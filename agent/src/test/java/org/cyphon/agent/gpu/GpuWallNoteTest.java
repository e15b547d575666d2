package org.cyphon.agent.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.cyphon.agent.sandbox.DeviceWall;
import org.junit.jupiter.api.Test;

/** What cyphon machine NAME says of a desk's GPU walls. */
class GpuWallNoteTest {
    @Test
    void onlyADeskWithGpusThatLacksADeviceCgroupGetsANote() {
        assertThat(GpuWallNote.note("", DeviceWall.CGROUP, true)).isEmpty();
        assertThat(GpuWallNote.note("", DeviceWall.NONE, false))
                .as("nothing to wall")
                .isEmpty();
        assertThat(GpuWallNote.note("", DeviceWall.MOUNTS, true)).startsWith("GPU devices walled by path only");
        assertThat(GpuWallNote.note("no pids.max", DeviceWall.NONE, true))
                .isEqualTo(
                        "no pids.max; GPU devices not walled (no device cgroup, no namespaces): a job may open any GPU");
    }
}
