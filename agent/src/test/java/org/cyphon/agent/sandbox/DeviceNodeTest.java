package org.cyphon.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Device numbers as glibc splits a 64-bit dev_t, and the v1 device cgroup rule made of them. */
class DeviceNodeTest {
    @Test
    void majorAndMinorComeApartAsGlibcSplitsThem() {
        // makedev(195, 255): the NVIDIA control node.
        long nvidiactl = (195L << 8) | 255;
        assertThat(DeviceNode.major(nvidiactl)).isEqualTo(195);
        assertThat(DeviceNode.minor(nvidiactl)).isEqualTo(255);
        // makedev(511, 1048575): a minor past 8 bits continues above the major's 12 bits.
        long big = (511L << 8) | (1048575L & 0xff) | ((1048575L & ~0xffL) << 12);
        assertThat(DeviceNode.major(big)).isEqualTo(511);
        assertThat(DeviceNode.minor(big)).isEqualTo(1048575);
        assertThat(new DeviceNode(Path.of("/dev/nvidia1"), 195, 1).cgroupRule()).isEqualTo("c 195:1 rwm");
    }

    @Test
    void onlyCharacterDevicesAreDeviceNodes() {
        assertThat(DeviceNode.read(Path.of("/dev/null"))).isEqualTo(new DeviceNode(Path.of("/dev/null"), 1, 3));
        assertThat(DeviceNode.read(Path.of("/etc/hostname"))).isNull();
        assertThat(DeviceNode.read(Path.of("/no/such/node"))).isNull();
    }
}
