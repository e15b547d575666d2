package org.cyphon.agent.gpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code nvidia-smi} and reads the two queries the agent needs: the GPUs (index, UUID, name,
 * memory, utilisation, PCI address) and the processes computing on them.
 *
 * <p>Each run costs a process start and a driver query (tens to hundreds of milliseconds of CPU), so
 * callers run it seldom (the GPU sensor at most every 5 s). Output goes to a file, not a pipe:
 * reading a pipe would wait as long as a hung nvidia-smi does, past any timeout.
 */
public final class NvidiaSmi {
    private static final Logger log = LoggerFactory.getLogger(NvidiaSmi.class);
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(10);

    /** Why a run gave nothing usable, in words for the sensor's status and the agent's log. */
    public static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    /** What one reading found. */
    public record Reading(List<Gpu> gpus, List<ComputeApp> apps) {
        public Reading {
            gpus = List.copyOf(gpus);
            apps = List.copyOf(apps);
        }
    }

    private final Path program;

    public NvidiaSmi(Path program) {
        this.program = program;
    }

    /** The configured program, else nvidia-smi on PATH or where drivers put it; empty when there is none. */
    public static Optional<NvidiaSmi> find(GpuSettings settings) {
        if (settings.nvidiaSmi() != null) return Optional.of(new NvidiaSmi(settings.nvidiaSmi()));
        return locate(System.getenv("PATH")).map(NvidiaSmi::new);
    }

    public Path program() {
        return program;
    }

    /** Both queries, one after the other. */
    public Reading read() throws Failure, InterruptedException {
        List<Gpu> gpus;
        try {
            gpus = NvidiaSmiCsv.gpus(run("--query-gpu=" + NvidiaSmiCsv.GPU_FIELDS, "--format=csv,noheader,nounits"));
        } catch (IllegalArgumentException e) {
            throw new Failure("nvidia-smi gave " + e.getMessage());
        }
        List<ComputeApp> apps = gpus.isEmpty()
                ? List.of()
                : NvidiaSmiCsv.computeApps(
                        run("--query-compute-apps=" + NvidiaSmiCsv.APP_FIELDS, "--format=csv,noheader,nounits"));
        return new Reading(gpus, apps);
    }

    private String run(String... args) throws Failure, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(List.of(args));
        Path outFile = null;
        try {
            outFile = Files.createTempFile("cyphon-nvidia-smi", ".out");
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(outFile.toFile())
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            if (!p.waitFor(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new Failure(program + " did not finish within " + RUN_TIMEOUT);
            }
            String output = Files.readString(outFile, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                // e.g. exit 9, "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."
                throw new Failure("nvidia-smi failed (exit " + p.exitValue() + "): "
                        + output.strip().lines().findFirst().orElse(""));
            }
            return output;
        } catch (IOException e) {
            throw new Failure("cannot run " + program + ": " + e.getMessage());
        } finally {
            deleteQuietly(outFile);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("gpu: cannot delete {}", file, e);
        }
    }

    /** nvidia-smi on the given PATH, or where NVIDIA's packages and containers put it. */
    public static Optional<Path> locate(String path) {
        Set<String> dirs = new LinkedHashSet<>();
        if (path != null) dirs.addAll(List.of(path.split(":")));
        dirs.addAll(List.of("/usr/bin", "/usr/local/bin", "/usr/local/nvidia/bin", "/usr/lib/wsl/lib"));
        for (String dir : dirs) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, "nvidia-smi");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }
}
