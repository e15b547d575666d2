package org.cyphon.agent.gpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * NVIDIA GPUs for a machine that has none: a device directory with real character nodes made by
 * mknod(1) ({@code nvidiaN} per GPU, {@code nvidiactl}, {@code nvidia-uvm}) on major numbers no
 * driver here has registered, so opening one reaches no driver (ENXIO) unless a wall stops it first
 * (EPERM from a device cgroup, EACCES from a covered path); and a stand-in {@code nvidia-smi} that
 * answers the agent's two queries with the CSV the real tool prints, its utilisation and compute
 * processes set by the test. Needs root (mknod). Everything lives under one directory, removed by
 * {@link #close()}.
 */
public final class FakeNvidiaGpus implements AutoCloseable {
    /** NVIDIA's own major; used when no driver here holds it. */
    static final int NVIDIA_MAJOR = 195;
    /** Majors reserved for local and experimental use (devices.txt): never given out dynamically. */
    static final List<Integer> LOCAL_MAJORS = List.of(60, 61, 62, 63, 120, 121, 122, 123, 124, 125, 126, 127);

    public final Path dir;
    public final Path devDir;
    public final Path nvidiaSmi;
    public final List<String> uuids;
    public final int major;
    public final int uvmMajor;

    private FakeNvidiaGpus(Path dir, Path devDir, Path nvidiaSmi, List<String> uuids, int major, int uvmMajor) {
        this.dir = dir;
        this.devDir = devDir;
        this.nvidiaSmi = nvidiaSmi;
        this.uuids = uuids;
        this.major = major;
        this.uvmMajor = uvmMajor;
    }

    /**
     * {@code count} GPUs under a new directory in {@code base}, which jobs must be able to reach
     * (not under /tmp or /home, which their namespaces replace).
     */
    public static FakeNvidiaGpus create(Path base, int count) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(base.resolve("cyphon-gpus-" + UUID.randomUUID()));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dev = Files.createDirectory(dir.resolve("dev"));
        Files.setPosixFilePermissions(dev, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<Integer> majors = unusedMajors(2);
        List<String> uuids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            uuids.add(String.format(Locale.ROOT, "GPU-%08x-8e6f-2a4b-9c1d-7f0e1a2b3c%02x", 0x5d3c3d57 + i, i));
            mknod(dev.resolve("nvidia" + i), majors.get(0), i);
            Files.writeString(dir.resolve("util" + i), "0\n");
        }
        mknod(dev.resolve("nvidiactl"), majors.get(0), 255);
        mknod(dev.resolve("nvidia-uvm"), majors.get(1), 0);
        Files.writeString(dir.resolve("apps"), "");
        Path smi = dir.resolve("nvidia-smi");
        Files.writeString(smi, script(dir, uuids));
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new FakeNvidiaGpus(dir, dev, smi, List.copyOf(uuids), majors.get(0), majors.get(1));
    }

    /** What utilisation nvidia-smi reports for GPU {@code index} from now on, in percent. */
    public void utilisation(int index, int percent) throws IOException {
        Files.writeString(dir.resolve("util" + index), percent + "\n");
    }

    /** The processes nvidia-smi lists as computing, one {@code pid, uuid} line each. */
    public void computeApps(String lines) throws IOException {
        Files.writeString(dir.resolve("apps"), lines);
    }

    public Path node(String name) {
        return devDir.resolve(name);
    }

    /**
     * The stand-in: answers exactly the agent's two queries, as the real nvidia-smi would
     * ({@code --format=csv,noheader,nounits}), and refuses anything else as it does.
     */
    private static String script(Path dir, List<String> uuids) {
        StringBuilder gpus = new StringBuilder();
        for (int i = 0; i < uuids.size(); i++) {
            gpus.append("  echo \"")
                    .append(i)
                    .append(", ")
                    .append(uuids.get(i))
                    .append(", NVIDIA GeForce RTX 3060, 12288, $(cat '")
                    .append(dir.resolve("util" + i))
                    .append("'), 00000000:")
                    .append(String.format(Locale.ROOT, "%02X", i + 1))
                    .append(":00.0\"\n");
        }
        return "#!/bin/sh\n"
                + "case \"$*\" in\n"
                + "\"--query-gpu=" + NvidiaSmiCsv.GPU_FIELDS + " --format=csv,noheader,nounits\")\n"
                + gpus
                + "  ;;\n"
                + "\"--query-compute-apps=" + NvidiaSmiCsv.APP_FIELDS + " --format=csv,noheader,nounits\")\n"
                + "  cat '" + dir.resolve("apps") + "'\n"
                + "  ;;\n"
                + "*)\n"
                + "  echo \"Invalid combination of input arguments. Please run 'nvidia-smi -h' for help.\"\n"
                + "  exit 2\n"
                + "  ;;\n"
                + "esac\n";
    }

    private static void mknod(Path node, int major, int minor) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        "mknod", "-m", "0666", node.toString(), "c", Integer.toString(major), Integer.toString(minor))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException("mknod " + node + " failed: " + out.strip());
    }

    /** Character majors no driver on this machine holds, NVIDIA's first if it is free. */
    static List<Integer> unusedMajors(int count) throws IOException {
        Set<Integer> taken = new HashSet<>();
        boolean chars = false;
        for (String line : Files.readAllLines(Path.of("/proc/devices"))) {
            if (line.startsWith("Character devices:")) chars = true;
            else if (line.startsWith("Block devices:")) chars = false;
            else if (chars && !line.isBlank())
                taken.add(Integer.parseInt(line.strip().split("\\s+")[0]));
        }
        List<Integer> out = new ArrayList<>();
        List<Integer> candidates = new ArrayList<>(List.of(NVIDIA_MAJOR));
        candidates.addAll(LOCAL_MAJORS);
        for (int m : candidates) if (!taken.contains(m) && out.size() < count) out.add(m);
        if (out.size() < count) throw new IOException("no unused character major left on this machine");
        return out;
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
