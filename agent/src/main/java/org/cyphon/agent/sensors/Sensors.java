package org.cyphon.agent.sensors;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.cyphon.agent.gpu.DeskGpus;
import org.cyphon.agent.gpu.JobProcesses;
import org.cyphon.core.owner.OwnerSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts every sensor the agent's settings enable and hands back one handle for all of them. A
 * sensor that cannot work here (no input devices, no X, no system bus, no nvidia-smi) or that fails
 * to start is listed with its reason; the others run regardless.
 *
 * <p>Paths the settings do not name are taken beside the ones they do, so a test that points the
 * settings at a sysfs- and dev-shaped directory moves them all: input devices are described in
 * {@code class/input} beside {@code powerDir} ({@code /sys/class/power_supply}), and terminals are
 * in the parent of {@code inputDir} ({@code /dev}). The X sockets ({@code /tmp/.X11-unix}) and
 * utmp ({@code /var/run/utmp}) are where every Linux puts them.
 */
public final class Sensors {

    private static final Logger log = LoggerFactory.getLogger(Sensors.class);
    static final Path X11_SOCKETS = Path.of("/tmp/.X11-unix");
    static final Path UTMP = Path.of("/var/run/utmp");
    static final int RARELY = 10;
    static final int SOMETIMES = 5;

    private Sensors() {}

    /**
     * @param jobCpuSeconds CPU seconds used so far by all of Cyphon's jobs (the parent job cgroup's
     *                      usage), NaN when unreadable; subtracted from the machine's busy time
     * @param jobsRunning   whether any job runs now: owner load is sampled slower when none does
     * @param cgroupRoot    where cgroup file systems are mounted ({@code /sys/fs/cgroup})
     * @param v2JobParent   the jobs' parent group in cgroup2 ({@code cyphon}), or null when jobs are
     *                      not in cgroup2 groups of their own (they then share the agent's)
     * @param gpus          the desk's GPUs, which the GPU sensor reads and keeps up to date
     * @param jobProcesses  tells the jobs' processes from the owner's (their GPU use is not the owner's)
     * @param guestInput    the host side of the desk VM's input channel ({@link GuestInputSensor}),
     *                      or null when this machine has no desk VM (or one without that channel)
     * @param sink          receives every signal of every sensor; thread-safe and cheap
     * @param clock         the time stamped on every signal
     */
    public static RunningSensors start(
            SensorSettings s,
            DoubleSupplier jobCpuSeconds,
            BooleanSupplier jobsRunning,
            Path cgroupRoot,
            String v2JobParent,
            DeskGpus gpus,
            JobProcesses jobProcesses,
            Path guestInput,
            Consumer<OwnerSignal> sink,
            Clock clock) {
        return start(
                s,
                jobCpuSeconds,
                jobsRunning,
                OwnerPressure.detect(s.procDir(), cgroupRoot, v2JobParent),
                gpus,
                jobProcesses,
                guestInput,
                sink,
                clock);
    }

    static RunningSensors start(
            SensorSettings s,
            DoubleSupplier jobCpuSeconds,
            BooleanSupplier jobsRunning,
            OwnerPressure pressure,
            DeskGpus gpus,
            JobProcesses jobProcesses,
            Path guestInput,
            Consumer<OwnerSignal> sink,
            Clock clock) {
        List<RunningSensors.Entry> entries = new ArrayList<>();
        // Every sampling sensor samples on one demoted thread and reports through one ordinary one.
        SamplingThreads relay = new SamplingThreads("sensor");
        Path sysClassInput = sibling(s.powerDir(), "input");
        Path devDir = s.inputDir().getParent() != null ? s.inputDir().getParent() : Path.of("/dev");

        entries.add(s.evdev() ? start(new EvdevSensor(s.inputDir(), sysClassInput, clock), sink, relay) : off("evdev"));
        entries.add(
                s.x11()
                        ? start(new X11IdleSensor(X11_SOCKETS, s.procDir(), s.sampleEvery(), clock), sink, relay)
                        : off("x11"));
        // Input only the desk VM's guest sees (a USB device redirected into it): listed only on desks with a VM.
        if (guestInput != null) entries.add(start(new GuestInputSensor(guestInput, clock), sink, relay));
        entries.add(s.logind() ? start(new LogindSensor(s, clock), sink, relay) : off("logind"));
        // What changes rarely is sampled more slowly: logins, remote desktops and the power source
        // within ten intervals, exclusive applications within five. Their scans of /proc cost most
        // of an idle agent's CPU when run every second (bench/run agent-idle).
        Duration rarely = s.sampleEvery().multipliedBy(RARELY);
        Duration sometimes = s.sampleEvery().multipliedBy(SOMETIMES);
        entries.add(start(new UtmpSessionsSensor(UTMP, s.procDir(), devDir, rarely, clock), sink, relay));
        entries.add(start(
                new OwnerLoadSensor(s.procDir(), s.sampleEvery(), jobCpuSeconds, jobsRunning, pressure, clock),
                sink,
                relay));
        entries.add(start(new PowerSensor(s.powerDir(), rarely, clock), sink, relay));
        entries.add(start(new ExclusiveAppsSensor(s.procDir(), s.exclusiveApps(), sometimes, clock), sink, relay));
        entries.add(
                s.gpu() ? start(new GpuSensor(gpus, jobProcesses, s.sampleEvery(), clock), sink, relay) : off("gpu"));

        RunningSensors running = new RunningSensors(entries, relay);
        log.info(
                "sensors: {}",
                running.states().stream()
                        .map(st -> st.name() + (st.running() ? "" : " (" + st.status() + ")"))
                        .toList());
        return running;
    }

    private static RunningSensors.Entry start(Sensor sensor, Consumer<OwnerSignal> sink, SamplingThreads shared) {
        try {
            if (sensor instanceof SamplingSensor sampling) sampling.shareThreads(shared);
            return new RunningSensors.Entry(sensor.name(), sensor, sensor.start(sink), null);
        } catch (RuntimeException e) {
            // A sensor's bug must not take the agent's other eyes with it.
            log.warn("sensor {} failed to start", sensor.name(), e);
            try {
                sensor.close();
            } catch (RuntimeException ignored) {
                // already reported
            }
            return new RunningSensors.Entry(sensor.name(), sensor, false, "failed to start: " + e);
        }
    }

    private static RunningSensors.Entry off(String name) {
        return new RunningSensors.Entry(name, null, false, "off in agent.toml");
    }

    private static Path sibling(Path dir, String name) {
        return dir.getParent() != null
                ? dir.getParent().resolve(name)
                : Path.of("/sys/class").resolve(name);
    }
}
