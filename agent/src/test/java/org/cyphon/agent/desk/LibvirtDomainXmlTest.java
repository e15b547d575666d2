package org.cyphon.agent.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The libvirt domain XML of a desk, checked by libvirt's own schema ({@code virt-xml-validate} from
 * Debian's libvirt-clients, with xmllint from libxml2-utils) and for the machine it describes.
 */
class LibvirtDomainXmlTest {
    @TempDir
    Path tmp;

    private static DeskSpec spec(DeskSpec.Display display, DeskSpec.Network network, DeskSpec.KernelBoot boot) {
        return new DeskSpec(
                "alice-pc",
                Path.of("/srv/golden.qcow2"),
                Path.of("/var/lib/desk/overlay's.qcow2"),
                Path.of("/var/lib/desk/data.img"),
                4,
                8192,
                2048,
                display,
                network,
                Accel.AUTO,
                boot);
    }

    @Test
    void aWindowsDeskUnderKvmWithACapIsAValidDomain() throws Exception {
        String xml = LibvirtDomainXml.of(
                spec(DeskSpec.Display.none(), DeskSpec.Network.USER, null),
                "cyphon-desk-alice-pc",
                Accel.KVM,
                Path.of("/usr/bin/qemu-system-x86_64"),
                1.5,
                "6738b9fa-a999-4f1e-a50b-0404381ada87",
                Path.of("/var/lib/desk/serial.log"));
        validate(xml);
        assertThat(xml)
                .contains(
                        "<domain type='kvm'>",
                        "<name>cyphon-desk-alice-pc</name>",
                        "<uuid>6738b9fa-a999-4f1e-a50b-0404381ada87</uuid>",
                        "<memory unit='MiB'>8192</memory>",
                        "<vcpu placement='static'>4</vcpu>",
                        "<global_quota>150000</global_quota>",
                        "machine='q35'",
                        "<cpu mode='host-passthrough'/>",
                        "<serial>cyphon-system</serial>",
                        "<serial>cyphon-data</serial>",
                        "<boot order='1'/>",
                        "overlay&apos;s.qcow2",
                        "<interface type='user'>",
                        "<memballoon model='virtio'/>",
                        "<model type='vga'/>")
                // No TCP display any more (a job could connect to it); no desk session under libvirt yet.
                .doesNotContain("<graphics");
    }

    @Test
    void aTestGuestUnderTcgWithNoNetworkAndADirectKernelBootIsAValidDomain() throws Exception {
        String xml = LibvirtDomainXml.of(
                spec(
                        DeskSpec.Display.none(),
                        DeskSpec.Network.NONE,
                        new DeskSpec.KernelBoot(
                                Path.of("/boot/vmlinuz"), Path.of("/boot/initrd"), "console=ttyS0 quiet & <loud>")),
                "cyphon-desk-t",
                Accel.TCG,
                Path.of("/usr/bin/qemu-system-x86_64"),
                null,
                null,
                null);
        validate(xml);
        assertThat(xml)
                .contains(
                        "<domain type='qemu'>",
                        "<cpu mode='maximum'/>",
                        "<kernel>/boot/vmlinuz</kernel>",
                        "<cmdline>console=ttyS0 quiet &amp; &lt;loud&gt;</cmdline>")
                .doesNotContain("<uuid>", "<cputune>", "<interface", "<boot order");
    }

    @Test
    void noDisplayMeansNoGraphicsButStillAVgaCardForScreenshots() throws Exception {
        String xml = LibvirtDomainXml.of(
                spec(DeskSpec.Display.none(), DeskSpec.Network.USER, null),
                "cyphon-desk-x",
                Accel.TCG,
                Path.of("/usr/bin/qemu-system-x86_64"),
                0.005,
                null,
                null);
        validate(xml);
        assertThat(xml)
                .doesNotContain("<graphics", "<input")
                .contains("<model type='vga'/>")
                .contains("<global_quota>1000</global_quota>"); // libvirt's least quota
    }

    private void validate(String xml) throws Exception {
        Path file = tmp.resolve("domain.xml");
        Files.writeString(file, xml);
        Process p = new ProcessBuilder(List.of("virt-xml-validate", file.toString(), "domain"))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as("virt-xml-validate (Debian's libvirt-clients and libxml2-utils; .ci/run installs them):\n" + out
                        + "\n" + xml)
                .isZero();
    }
}
