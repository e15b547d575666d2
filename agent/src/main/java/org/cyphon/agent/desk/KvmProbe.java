package org.cyphon.agent.desk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds out whether KVM really works here, by running a tiny guest under it.
 *
 * <p>Why a guest and not just {@code /dev/kvm}: in a VM without nested virtualization support
 * {@code /dev/kvm} can exist and open, QEMU starts, and the guest then crawls (the firmware runs,
 * a kernel never gets through its decompressor). So the probe boots a 54-byte multiboot payload
 * that counts down from ten million and writes "S" before and "K" after to an ISA debug port; real
 * KVM gets to "K" in milliseconds, emulation in a fraction of a second, a broken KVM not within
 * {@link #DEADLINE}.
 *
 * <p>The answer is kept per QEMU binary for the life of the agent: it costs one QEMU start.
 */
final class KvmProbe {
    /** How long the probe guest may take to finish: ample for real KVM even on a loaded desktop. */
    static final Duration DEADLINE = Duration.ofSeconds(3);

    /**
     * The probe guest, assembled from:
     * <pre>
     *   .long 0x1BADB002, 0x00010000, -(0x1BADB002+0x00010000)   # multiboot header, a.out kludge
     *   .long 0x100000, 0x100000, 0, 0, 0x100020                 # load at 1 MiB, entry after header
     *   mov $0xe9,%dx ; mov $'S',%al ; out %al,(%dx)
     *   mov $10000000,%ecx
     * 1: dec %ecx ; jnz 1b
     *   mov $'K',%al ; out %al,(%dx)
     * 2: cli ; hlt ; jmp 2b
     * </pre>
     */
    private static final byte[] PAYLOAD = {
        0x02,
        (byte) 0xb0,
        (byte) 0xad,
        0x1b,
        0x00,
        0x00,
        0x01,
        0x00,
        (byte) 0xfe,
        0x4f,
        0x51,
        (byte) 0xe4,
        0x00,
        0x00,
        0x10,
        0x00,
        0x00,
        0x00,
        0x10,
        0x00,
        0x00,
        0x00,
        0x00,
        0x00,
        0x00,
        0x00,
        0x00,
        0x00,
        0x20,
        0x00,
        0x10,
        0x00,
        0x66,
        (byte) 0xba,
        (byte) 0xe9,
        0x00,
        (byte) 0xb0,
        0x53,
        (byte) 0xee,
        (byte) 0xb9,
        (byte) 0x80,
        (byte) 0x96,
        (byte) 0x98,
        0x00,
        0x49,
        0x75,
        (byte) 0xfd,
        (byte) 0xb0,
        0x4b,
        (byte) 0xee,
        (byte) 0xfa,
        (byte) 0xf4,
        (byte) 0xeb,
        (byte) 0xfc
    };

    /** Whether KVM works, and in words why (or why not). */
    record Result(boolean usable, String reason) {}

    private static final Map<Path, Result> CACHE = new HashMap<>();

    private KvmProbe() {}

    /** The probe's answer for {@code qemuSystem}, running it (in a temporary directory) the first time. */
    static synchronized Result probe(Path qemuSystem) {
        return CACHE.computeIfAbsent(qemuSystem, KvmProbe::run);
    }

    private static Result run(Path qemuSystem) {
        Path kvm = Path.of("/dev/kvm");
        if (!Files.exists(kvm))
            return new Result(false, "no /dev/kvm (no hardware virtualization, or the kvm module is not loaded)");
        if (!Files.isReadable(kvm) || !Files.isWritable(kvm)) {
            return new Result(false, "/dev/kvm is not readable and writable by this user (add it to the kvm group)");
        }
        Path dir = null;
        Process qemu = null;
        try {
            dir = Files.createTempDirectory("cyphon-kvm-probe");
            Path payload = Files.write(dir.resolve("probe.bin"), PAYLOAD);
            Path out = dir.resolve("probe.out");
            Path log = dir.resolve("qemu.log");
            long started = System.nanoTime();
            qemu = new ProcessBuilder(List.of(
                            qemuSystem.toString(),
                            "-accel",
                            "kvm",
                            "-machine",
                            "pc",
                            "-nodefaults",
                            "-no-user-config",
                            "-display",
                            "none",
                            "-m",
                            "16",
                            "-monitor",
                            "none",
                            "-serial",
                            "none",
                            "-kernel",
                            payload.toString(),
                            "-chardev",
                            "file,id=probe,path=" + out,
                            "-device",
                            "isa-debugcon,iobase=0xe9,chardev=probe"))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            long deadline = started + DEADLINE.toNanos();
            while (System.nanoTime() < deadline) {
                String written = Files.exists(out) ? Files.readString(out) : "";
                if (written.contains("K")) {
                    long ms = (System.nanoTime() - started) / 1_000_000;
                    return new Result(true, "kvm: a probe guest ran ten million instructions in " + ms + " ms");
                }
                if (!qemu.isAlive()) {
                    return new Result(false, "qemu could not use kvm: " + firstLine(log));
                }
                Thread.sleep(20);
            }
            return new Result(
                    false,
                    "/dev/kvm opens but a probe guest made no progress under it within " + DEADLINE.toSeconds()
                            + " s (nested virtualization without hardware support?)");
        } catch (IOException e) {
            return new Result(false, "cannot run the kvm probe: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "kvm probe interrupted");
        } finally {
            if (qemu != null) {
                qemu.destroyForcibly();
                try {
                    qemu.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            deleteQuietly(dir);
        }
    }

    private static String firstLine(Path log) throws IOException {
        return Files.readAllLines(log).stream()
                .filter(l -> !l.contains("warning"))
                .findFirst()
                .orElse("no message");
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) return;
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.deleteIfExists(f);
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // A few bytes left in the temporary directory harm nothing.
        }
    }
}
