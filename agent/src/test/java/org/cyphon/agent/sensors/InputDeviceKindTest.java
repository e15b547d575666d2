package org.cyphon.agent.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Classifying devices from their sysfs capability bitmaps (test resources in the kernel's format). */
class InputDeviceKindTest {

    @ParameterizedTest
    @CsvSource({
        "at-keyboard, KEYBOARD",
        "usb-mouse, POINTER",
        "touchpad, POINTER",
        "power-button, IGNORED",
        "lid-switch, IGNORED",
        "accelerometer, IGNORED",
        "video-bus, IGNORED"
    })
    void devicesAreTakenForWhatTheirCapabilitiesSay(String device, InputDeviceKind expected) throws Exception {
        Path dir = Path.of(getClass()
                .getClassLoader()
                .getResource("sensors/sysfs-input/" + device + "/device")
                .toURI());
        assertThat(InputDeviceKind.of(InputCapabilities.read(dir, 64))).isEqualTo(expected);
    }

    @Test
    void bitmapsAreWordsMostSignificantFirstInTheKernelsWordSize() {
        assertThat(InputCapabilities.bitmap("10000000000000 0", 64).stream().toArray())
                .containsExactly(116); // KEY_POWER
        assertThat(InputCapabilities.bitmap("100000 0 0 0", 32).stream().toArray())
                .containsExactly(116);
        assertThat(InputCapabilities.bitmap("120013\n", 64).stream().toArray()).containsExactly(0, 1, 4, 17, 20);
        assertThat(InputCapabilities.bitmap("0", 64).isEmpty()).isTrue();
    }
}
