package org.cyphon.agent.desk;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The tiny Linux guest of tools/build-test-guest.sh, built on first use and cached in
 * {@code ~/.cache/cyphon/test-guest} (or {@code $CYPHON_TEST_GUEST_DIR}) across builds.
 *
 * <p>Nothing is skipped when QEMU is missing: the desk tests need a real hypervisor, and a
 * machine without one fails them with a message saying how to install it.
 */
public final class TestGuest {
    static final String INSTALL_HINT = "run .ci/run as root once (it installs qemu-system-x86 and qemu-utils)";

    public final Path dir;

    private TestGuest(Path dir) {
        this.dir = dir;
    }

    public Path kernel() {
        return dir.resolve("vmlinuz");
    }

    public Path initrd() {
        return dir.resolve("initrd.cpio");
    }

    public Path golden() {
        return dir.resolve("golden.qcow2");
    }

    /** The pristine user-data disk: copy it, never boot it (a test writes to its copy). */
    public Path userDataTemplate() {
        return dir.resolve("userdata.img");
    }

    public String cmdline() throws IOException {
        return Files.readString(dir.resolve("cmdline")).trim();
    }

    /** The QEMU programs, or a test failure that says how to get them. */
    static DeskHost host(String cgroupParent) {
        try {
            return DeskHost.find(Path.of("/sys/fs/cgroup"), cgroupParent);
        } catch (DeskException e) {
            return fail(e.getMessage() + ": " + INSTALL_HINT);
        }
    }

    /** Builds the guest if the cache lacks it (a few seconds once; instant afterwards). */
    public static synchronized TestGuest build() throws Exception {
        host("cyphon-desk");
        String override = System.getenv("CYPHON_TEST_GUEST_DIR");
        Path dir = override != null && !override.isBlank()
                ? Path.of(override)
                : Path.of(System.getProperty("user.home"), ".cache", "cyphon", "test-guest");
        Path script = repoRoot().resolve("tools/build-test-guest.sh");
        Path output = Files.createTempFile("build-test-guest", ".log");
        Process p = new ProcessBuilder(List.of("bash", script.toString(), dir.toString()))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(script + " did not finish within 10 minutes");
        }
        String log = Files.readString(output);
        Files.deleteIfExists(output);
        if (p.exitValue() != 0) fail(script + " failed (exit " + p.exitValue() + "): " + log + "\n" + INSTALL_HINT);
        return new TestGuest(dir);
    }

    private static Path repoRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("tools/build-test-guest.sh"))) return d;
        }
        return fail("tools/build-test-guest.sh not found above " + Path.of("").toAbsolutePath());
    }
}
