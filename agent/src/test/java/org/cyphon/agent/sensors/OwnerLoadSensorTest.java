package org.cyphon.agent.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cyphon.core.owner.LoadSeen;
import org.cyphon.core.owner.OwnerSignal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Owner CPU and pressure, from copies of this machine's /proc files and from the real /proc. */
class OwnerLoadSensorTest {

    private static final Path PROC = Path.of("/proc");

    @TempDir
    Path proc;

    private double jobSeconds;

    @Test
    void ownerCpuIsAllBusyTimeMinusTheJobsCpuTimeOverTheSameInterval() throws Exception {
        String stat = Files.readString(PROC.resolve("stat")); // a copy of the real file
        int cores = CpuTimes.parse(stat).cores();
        Files.writeString(proc.resolve("stat"), stat);
        copyPressure();
        OwnerLoadSensor sensor =
                new OwnerLoadSensor(proc, Duration.ofSeconds(1), () -> jobSeconds, () -> true, Clock.systemUTC());

        jobSeconds = 40.0;
        assertThat(sensor.sample(Instant.now()))
                .as("first sample: nothing to compare with")
                .isNull();

        // One second passes: 150 ticks busy (1.5 CPUs), the rest idle; the jobs used 1.0 s of it.
        Files.writeString(proc.resolve("stat"), advance(stat, 150, cores * 100L - 150));
        jobSeconds = 41.0;
        LoadSeen seen = sensor.sample(Instant.now());

        assertThat(seen.source()).isEqualTo("proc");
        assertThat(seen.ownerCpus()).isCloseTo(0.5, within(1e-9));
        assertThat(seen.cores()).isEqualTo(cores);
        assertThat(seen.cpuPressure()).isEqualTo(some10("cpu"));
        assertThat(seen.memoryPressure()).isEqualTo(some10("memory"));
        assertThat(seen.ioPressure()).isEqualTo(some10("io"));
    }

    @Test
    void anUnreadableJobCounterCountsAllBusyTimeAsTheOwnersAndPressureWithoutPsiIsMinusOne() throws Exception {
        String stat = Files.readString(PROC.resolve("stat"));
        int cores = CpuTimes.parse(stat).cores();
        Files.writeString(proc.resolve("stat"), stat);
        OwnerLoadSensor sensor =
                new OwnerLoadSensor(proc, Duration.ofSeconds(1), () -> jobSeconds, () -> true, Clock.systemUTC());

        jobSeconds = 10;
        sensor.sample(Instant.now());
        stat = advance(stat, 100, cores * 100L - 100);
        Files.writeString(proc.resolve("stat"), stat);
        jobSeconds = Double.NaN; // the job cgroup was just removed
        LoadSeen duringGap = sensor.sample(Instant.now());
        Files.writeString(proc.resolve("stat"), advance(stat, 100, cores * 100L - 100));
        jobSeconds = 500; // a new counter: no baseline yet
        LoadSeen afterGap = sensor.sample(Instant.now());

        assertThat(duringGap.ownerCpus()).isCloseTo(1.0, within(1e-9));
        assertThat(afterGap.ownerCpus()).isCloseTo(1.0, within(1e-9));
        assertThat(duringGap.cpuPressure()).isEqualTo(-1);
        assertThat(duringGap.memoryPressure()).isEqualTo(-1);
        assertThat(duringGap.ioPressure()).isEqualTo(-1);
    }

    @Test
    void aRealBusyProcessRaisesOwnerCpuUnlessItIsTheJob() throws Exception {
        Process busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try {
            OwnerLoadSensor asOwner =
                    new OwnerLoadSensor(PROC, Duration.ofSeconds(1), () -> 0, () -> true, Clock.systemUTC());
            OwnerLoadSensor asJob = new OwnerLoadSensor(
                    PROC, Duration.ofSeconds(1), () -> cpuSeconds(busy.pid()), () -> true, Clock.systemUTC());
            asOwner.sample(Instant.now());
            asJob.sample(Instant.now());
            double busyBefore = cpuSeconds(busy.pid());
            long wallBefore = System.nanoTime();

            await().atMost(60, TimeUnit.SECONDS).until(() -> cpuSeconds(busy.pid()) - busyBefore >= 1.0);
            LoadSeen owner = asOwner.sample(Instant.now());
            LoadSeen job = asJob.sample(Instant.now());
            double busyCpus = (cpuSeconds(busy.pid()) - busyBefore) / ((System.nanoTime() - wallBefore) / 1e9);

            assertThat(owner.ownerCpus()).isGreaterThan(0.8 * busyCpus);
            assertThat(job.ownerCpus()).isLessThan(owner.ownerCpus() - 0.5 * busyCpus);
            assertThat(owner.cpuPressure()).isGreaterThanOrEqualTo(0); // this kernel has PSI
        } finally {
            busy.destroy();
            busy.waitFor();
        }
    }

    @Test
    void whileNoJobRunsTheLoadIsSampledFiveTimesLessOften() throws Exception {
        AtomicBoolean jobs = new AtomicBoolean(false);
        List<OwnerSignal> seen = new CopyOnWriteArrayList<>();
        try (OwnerLoadSensor sensor =
                new OwnerLoadSensor(PROC, Duration.ofMillis(100), () -> 0, jobs::get, Clock.systemUTC())) {
            assertThat(sensor.start(seen::add)).isTrue();
            // Not waits for a state: the sample rate is what is measured, over real time.
            Thread.sleep(2_000);
            int idle = seen.size(); // samples at 0, 0.5, 1, 1.5 s: the first has nothing to compare with
            jobs.set(true);
            Thread.sleep(600); // the pause already begun ends first (up to 0.5 s)
            int before = seen.size();
            Thread.sleep(1_000);
            int busy = seen.size() - before;

            assertThat(idle).as("reports in 2 s with no job").isBetween(2, 5);
            assertThat(busy).as("reports in 1 s with a job").isBetween(6, 11);
        }
    }

    @Test
    void withoutProcStatTheSensorDoesNotStart() {
        OwnerLoadSensor sensor =
                new OwnerLoadSensor(proc, Duration.ofSeconds(1), () -> 0, () -> true, Clock.systemUTC());
        assertThat(sensor.start(s -> {})).isFalse();
        assertThat(sensor.status()).contains("stat");
        sensor.close();
    }

    /** The real file with {@code user} and {@code idle} of the "cpu" line advanced. */
    private static String advance(String stat, long userTicks, long idleTicks) {
        StringBuilder out = new StringBuilder();
        for (String line : stat.split("\n", -1)) {
            if (line.startsWith("cpu ")) {
                String[] f = line.split("\\s+");
                f[1] = Long.toString(Long.parseLong(f[1]) + userTicks);
                f[4] = Long.toString(Long.parseLong(f[4]) + idleTicks);
                line = "cpu  " + String.join(" ", Arrays.copyOfRange(f, 1, f.length));
            }
            out.append(line).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    private void copyPressure() throws IOException {
        Files.createDirectories(proc.resolve("pressure"));
        for (String r : new String[] {"cpu", "memory", "io"}) {
            Files.writeString(
                    proc.resolve("pressure").resolve(r),
                    Files.readString(PROC.resolve("pressure").resolve(r)));
        }
    }

    /** "some avg10" of the copied file, parsed here independently of the code under test. */
    private double some10(String resource) throws IOException {
        String copy = Files.readString(proc.resolve("pressure").resolve(resource));
        return Double.parseDouble(copy.split("\n")[0].split("\\s+")[1].substring("avg10=".length()));
    }

    private static double cpuSeconds(long pid) {
        try {
            String s = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime + stime
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
