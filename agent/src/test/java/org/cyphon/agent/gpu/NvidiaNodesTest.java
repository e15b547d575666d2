package org.cyphon.agent.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.cyphon.agent.sandbox.DeviceNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver's device nodes, read from real character devices made by mknod in a test directory. */
class NvidiaNodesTest {
    @TempDir
    Path tmp;

    @Test
    void gpuNodesByMinorAndTheSharedOnesAreFoundWithTheirNumbers() throws Exception {
        try (FakeNvidiaGpus fake = FakeNvidiaGpus.create(tmp, 2)) {
            // A regular file with a device's name is no device.
            Files.writeString(fake.devDir.resolve("nvidia7"), "not a node");
            NvidiaNodes nodes = NvidiaNodes.scan(fake.devDir);

            assertThat(nodes.gpus().keySet()).containsExactlyInAnyOrder(0, 1);
            assertThat(nodes.gpus().get(1)).isEqualTo(new DeviceNode(fake.node("nvidia1"), fake.major, 1));
            assertThat(nodes.shared())
                    .containsExactlyInAnyOrder(
                            new DeviceNode(fake.node("nvidiactl"), fake.major, 255),
                            new DeviceNode(fake.node("nvidia-uvm"), fake.uvmMajor, 0));
            assertThat(nodes.any()).isTrue();
        }
    }

    @Test
    void aJobIsHiddenEveryGpuButItsOwnAndWithoutOneTheDriverToo() throws Exception {
        try (FakeNvidiaGpus fake = FakeNvidiaGpus.create(tmp, 2)) {
            NvidiaNodes nodes = NvidiaNodes.scan(fake.devDir);
            assertThat(nodes.hiddenFrom(Set.of(0))).extracting(DeviceNode::path).containsExactly(fake.node("nvidia1"));
            assertThat(nodes.hiddenFrom(Set.of()))
                    .extracting(DeviceNode::path)
                    .containsExactlyInAnyOrder(
                            fake.node("nvidia0"),
                            fake.node("nvidia1"),
                            fake.node("nvidiactl"),
                            fake.node("nvidia-uvm"));
        }
    }

    @Test
    void aDeskWithoutTheDriverHasNothingToHide() {
        NvidiaNodes none = NvidiaNodes.scan(tmp.resolve("no-such-dir"));
        assertThat(none.any()).isFalse();
        assertThat(none.hiddenFrom(Set.of())).isEmpty();
    }
}
