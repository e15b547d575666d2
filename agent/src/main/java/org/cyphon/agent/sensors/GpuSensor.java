package org.cyphon.agent.sensors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.cyphon.core.owner.GpuSeen;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GPU use, from {@code nvidia-smi --query-gpu=utilization.gpu --format=csv,noheader,nounits}, as
 * {@code GpuSeen("nvidia-smi", now, busiest GPU 0..1)}: games and renders must not lose frames to
 * cluster work. The figure is all use of the GPU, the jobs' included; a GPU job's own use is for
 * core to discount.
 *
 * <p>Each sample runs nvidia-smi once, which costs a process start and a driver query (tens to
 * hundreds of milliseconds of CPU), so it samples at {@code sampleEvery} but not more often than
 * every {@link #MIN_INTERVAL}: the owner's machine must not get busier because it is watched.
 */
public final class GpuSensor extends SamplingSensor {

    private static final Logger log = LoggerFactory.getLogger(GpuSensor.class);
    static final Duration MIN_INTERVAL = Duration.ofSeconds(5);
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> QUERY = List.of("--query-gpu=utilization.gpu", "--format=csv,noheader,nounits");

    private final Path nvidiaSmi;

    /** Looks for nvidia-smi on PATH and where drivers put it. */
    public GpuSensor(Duration sampleEvery, Clock clock) {
        this(locate(System.getenv("PATH")).orElse(null), sampleEvery, clock);
    }

    /** @param nvidiaSmi the program to run, or null when there is none */
    GpuSensor(Path nvidiaSmi, Duration sampleEvery, Clock clock) {
        super("gpu", sampleEvery.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : sampleEvery, clock);
        this.nvidiaSmi = nvidiaSmi;
    }

    @Override
    protected String unavailable() {
        return nvidiaSmi == null ? "no nvidia-smi" : null;
    }

    @Override
    protected List<GpuSeen> takeSample() {
        return sample(clock.instant()).map(List::of).orElse(List.of());
    }

    @Override
    protected String describe() {
        return nvidiaSmi + " every " + sampleEvery;
    }

    /** Runs nvidia-smi once; empty (and the reason in {@link #status()}) when it gives no figure. */
    Optional<GpuSeen> sample(Instant now) {
        List<String> command = new ArrayList<>();
        command.add(nvidiaSmi.toString());
        command.addAll(QUERY);
        String output;
        int exit;
        Path outFile = null;
        try {
            // Output goes to a file, not a pipe: reading a pipe would wait as long as a hung
            // nvidia-smi does, past any timeout.
            outFile = Files.createTempFile("cyphon-nvidia-smi", ".out");
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(outFile.toFile())
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            if (!p.waitFor(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                status(nvidiaSmi + " did not finish within " + RUN_TIMEOUT);
                return Optional.empty();
            }
            exit = p.exitValue();
            output = Files.readString(outFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            status("cannot run " + nvidiaSmi + ": " + e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            deleteQuietly(outFile);
        }
        if (exit != 0) {
            // e.g. exit 9, "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."
            status("nvidia-smi failed (exit " + exit + "): "
                    + output.strip().lines().findFirst().orElse(""));
            return Optional.empty();
        }
        OptionalDouble busy = NvidiaSmiOutput.busiest(output);
        if (busy.isEmpty()) {
            status("nvidia-smi reports no GPU utilisation: "
                    + output.strip().lines().findFirst().orElse("(no output)"));
            return Optional.empty();
        }
        status("ok");
        return Optional.of(new GpuSeen("nvidia-smi", now, busy.getAsDouble()));
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
    static Optional<Path> locate(String path) {
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
