package org.cyphon.agent.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A desk's definition is checked before anything runs, and every error names the key to fix. */
class DeskSpecTest {
    @TempDir
    Path dir;

    private Spec valid() {
        return new Spec(dir);
    }

    @Test
    void aValidSpecIsAccepted() {
        DeskSpec spec = valid().build();
        assertThat(spec.displayDescription())
                .isEqualTo("spice unix:" + dir.resolve("display/spice.sock") + " (alice's desk session)");
    }

    @Test
    void eachBadValueNamesItsKey() {
        assertField("name", b -> b.name("has space"));
        assertField("golden_image", b -> b.golden(Path.of("relative.qcow2")));
        assertField("overlay", b -> b.overlay(b.golden));
        assertField("user_data", b -> b.userData(b.overlay));
        assertField("vcpus", b -> b.vcpus(0));
        assertField("memory_max", b -> b.memory(32, 32));
        assertField("memory_min", b -> b.memory(1024, 2048));
        assertField("memory_min", b -> b.memory(1024, 16));
        assertField("display_dir", b -> b.display(DeskSpec.Display.spice(Path.of("relative"), "alice", 1)));
        assertField("display_dir", b -> b.display(DeskSpec.Display.spice(Path.of("/a,b"), "alice", 1)));
        assertField("display_dir", b -> b.display(DeskSpec.Display.spice(Path.of("/" + "d".repeat(100)), "alice", 1)));
        assertField("session_user", b -> b.display(DeskSpec.Display.spice(b.golden.getParent(), "Alice Smith", 1)));
        assertField("session_user", b -> b.display(DeskSpec.Display.spice(b.golden.getParent(), null, 1)));
        assertField("monitors", b -> b.display(DeskSpec.Display.spice(b.golden.getParent(), "alice", 5)));
        assertField("display", b -> b.display(null));
        assertField("network", b -> b.network(null));
        assertField("accel", b -> b.accel(null));
        assertField("kernel", b -> b.kernel(new DeskSpec.KernelBoot(Path.of("vmlinuz"), null, null)));
    }

    @Test
    void theMessageSaysWhatIsWrong() {
        assertThatThrownBy(() -> valid().memory(1024, 2048).build())
                .isInstanceOf(InvalidDeskSpecException.class)
                .hasMessage("memory_min: 2048 MiB is more than memory_max (1024 MiB)");
    }

    @Test
    void filesAreCheckedAsTheyAreNow() throws Exception {
        DeskSpec spec = valid().build();
        assertThatThrownBy(spec::checkFiles)
                .isInstanceOf(InvalidDeskSpecException.class)
                .hasMessageContaining("golden_image: " + spec.goldenImage() + " does not exist");

        Files.writeString(spec.goldenImage(), "not an image");
        assertThatThrownBy(spec::checkFiles)
                .hasMessageContaining("golden_image: " + spec.goldenImage() + " is not a qcow2 image");

        Files.write(spec.goldenImage(), new byte[] {'Q', 'F', 'I', (byte) 0xfb, 0, 0, 0, 3});
        assertThatThrownBy(spec::checkFiles).hasMessageContaining("user_data: " + spec.userData() + " does not exist");

        Files.writeString(spec.userData(), "");
        spec.checkFiles();
        assertThat(spec.userDataFormat()).isEqualTo("raw");
    }

    @Test
    void acceleratorsAndNetworksParseTheirConfigNames() {
        assertThat(Accel.parse("KVM")).isEqualTo(Accel.KVM);
        assertThat(Accel.parse(" auto ")).isEqualTo(Accel.AUTO);
        assertThatThrownBy(() -> Accel.parse("hvf")).hasMessage("'hvf' is not one of auto, kvm, tcg");
        assertThat(DeskSpec.Network.parse("user")).isEqualTo(DeskSpec.Network.USER);
        assertThatThrownBy(() -> DeskSpec.Network.parse("bridge")).hasMessage("'bridge' is not one of none, user");
    }

    /** A valid spec over files in {@code dir}, changed one value at a time. */
    private static final class Spec {
        String name = "desk-1";
        Path golden;
        Path overlay;
        Path userData;
        int vcpus = 2;
        long max = 2048;
        long min = 512;
        DeskSpec.Display display;
        DeskSpec.Network network = DeskSpec.Network.USER;
        Accel accel = Accel.AUTO;
        DeskSpec.KernelBoot kernel;

        Spec(Path dir) {
            golden = dir.resolve("golden.qcow2");
            overlay = dir.resolve("overlay.qcow2");
            userData = dir.resolve("user.img");
            display = DeskSpec.Display.spice(dir.resolve("display"), "alice", 1);
        }

        Spec name(String v) {
            name = v;
            return this;
        }

        Spec golden(Path v) {
            golden = v;
            return this;
        }

        Spec overlay(Path v) {
            overlay = v;
            return this;
        }

        Spec userData(Path v) {
            userData = v;
            return this;
        }

        Spec vcpus(int v) {
            vcpus = v;
            return this;
        }

        Spec memory(long maxMiB, long minMiB) {
            max = maxMiB;
            min = minMiB;
            return this;
        }

        Spec display(DeskSpec.Display v) {
            display = v;
            return this;
        }

        Spec network(DeskSpec.Network v) {
            network = v;
            return this;
        }

        Spec accel(Accel v) {
            accel = v;
            return this;
        }

        Spec kernel(DeskSpec.KernelBoot v) {
            kernel = v;
            return this;
        }

        DeskSpec build() {
            return new DeskSpec(name, golden, overlay, userData, vcpus, max, min, display, network, accel, kernel);
        }
    }

    private void assertField(String field, UnaryOperator<Spec> change) {
        assertThatThrownBy(() -> change.apply(valid()).build())
                .isInstanceOf(InvalidDeskSpecException.class)
                .satisfies(
                        e -> assertThat(((InvalidDeskSpecException) e).field()).isEqualTo(field));
    }
}
