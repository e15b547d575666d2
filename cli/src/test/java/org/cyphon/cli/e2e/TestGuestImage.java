package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The tiny Linux guest of tools/build-test-guest.sh, for the desk VM's end-to-end tests. */
final class TestGuestImage {
    private TestGuestImage() {}

    /**
     * The {@code [sensors]} and {@code [policy]} of an agent whose jobs yield to the owner's presence
     * alone (3 s after the last input), for the tests of what counts as presence at a desk VM. The
     * test guest under TCG and the other builds on this machine load its two cores: what these tests
     * test is presence, so the owner's CPU demand and the machine's pressure do not hold jobs back.
     */
    static final String PRESENCE_ONLY_POLICY = """
            [sensors]
            sample_every = "200ms"
            [policy]
            preset = "strict"
            start_after_idle = "0s"
            present_within = "3s"
            owner_cpu_max = "off"
            cpu_pressure_max = "off"
            memory_pressure_max = "off"
            io_pressure_max = "off"
            """;

    /**
     * The {@code [desk]} section of an agent.toml that runs this guest: one vCPU, 128M (64M at the
     * least), no network, the accelerator chosen by the agent, booted from the guest's kernel, with
     * a fresh copy of its user data in {@code tmp}. {@code more} adds the test's own keys of the
     * section (display, hours, ...; TOML refuses a key given twice).
     */
    static String deskSection(Path tmp, String name, String more) throws Exception {
        Path guest = dir();
        Path userData = tmp.resolve("userdata.img");
        if (!Files.exists(userData)) Files.copy(guest.resolve("userdata.img"), userData);
        return """
                [desk]
                name = "%s"
                golden_image = "%s"
                user_data = "%s"
                vcpus = 1
                memory_max = "128M"
                memory_min = "64M"
                network = "none"
                accel = "auto"
                kernel = "%s"
                initrd = "%s"
                cmdline = "%s"
                """.formatted(
                                name,
                                guest.resolve("golden.qcow2"),
                                userData,
                                guest.resolve("vmlinuz"),
                                guest.resolve("initrd.cpio"),
                                Files.readString(guest.resolve("cmdline")).trim())
                + more;
    }

    /**
     * The test guest, built on first use into {@code ~/.cache/cyphon/test-guest} (or
     * {@code $CYPHON_TEST_GUEST_DIR}), shared with the agent's desk tests.
     */
    static Path dir() throws Exception {
        String override = System.getenv("CYPHON_TEST_GUEST_DIR");
        Path dir = override != null && !override.isBlank()
                ? Path.of(override)
                : Path.of(System.getProperty("user.home"), ".cache", "cyphon", "test-guest");
        Path script = null;
        for (Path d = Path.of("").toAbsolutePath(); d != null && script == null; d = d.getParent()) {
            if (Files.exists(d.resolve("tools/build-test-guest.sh"))) script = d.resolve("tools/build-test-guest.sh");
        }
        assertThat(script)
                .as("tools/build-test-guest.sh above " + Path.of("").toAbsolutePath())
                .isNotNull();
        Process p = new ProcessBuilder("bash", script.toString(), dir.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue())
                .as(script + ": " + output + "\n(run .ci/run as root once: it installs qemu-system-x86 and qemu-utils)")
                .isZero();
        return dir;
    }
}
