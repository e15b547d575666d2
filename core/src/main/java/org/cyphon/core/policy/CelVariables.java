package org.cyphon.core.policy;

import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelVariableResolver;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.cyphon.core.owner.OwnerDemand;
import org.cyphon.core.owner.Presence;

/**
 * The variables a custom policy's CEL expressions may use, with their types and meanings (the
 * README lists them from here), and their values for one decision. Whole seconds are CEL
 * {@code int}s, rounded down; CPU amounts and pressures are {@code double}s; int and double compare
 * with each other ({@code owner_cpus <= 1}).
 */
final class CelVariables {
    /** One variable: name, CEL type, meaning. */
    record Var(String name, CelType type, String meaning) {}

    static final List<Var> ALL = List.of(
            new Var(
                    "idle_seconds",
                    SimpleType.INT,
                    "seconds since the owner's last activity (any input sensor, a session's idle hint); 0 while a remote session or an idle inhibitor is active; 3153600000 (100 years) where nobody has ever been seen (a headless machine)"),
            new Var(
                    "input_idle_seconds",
                    SimpleType.INT,
                    "seconds since the last keyboard/mouse input alone; -1 when none was seen"),
            new Var(
                    "present",
                    SimpleType.BOOL,
                    "the owner is present: activity within present_within, an active remote session or an idle inhibitor"),
            new Var("owner_state", SimpleType.STRING, "\"present\", \"away\" or \"hands_off\" (an exclusive app runs)"),
            new Var("remote_session", SimpleType.BOOL, "an SSH/RDP/VNC session is active"),
            new Var("inhibited", SimpleType.BOOL, "someone holds an idle inhibitor (video, presentation)"),
            new Var("exclusive_app", SimpleType.BOOL, "a configured exclusive application runs"),
            new Var("owner_cpus", SimpleType.DOUBLE, "CPUs the owner uses (outside Cyphon's jobs); 0 when unknown"),
            new Var("cores", SimpleType.DOUBLE, "logical CPUs of the desk"),
            new Var("owner_cpu_fraction", SimpleType.DOUBLE, "owner_cpus / cores"),
            new Var("job_cpus", SimpleType.DOUBLE, "CPUs held by Cyphon's attempts on the desk"),
            new Var("cpu_pressure", SimpleType.DOUBLE, "CPU pressure stall, some avg10, percent; -1 without PSI"),
            new Var("memory_pressure", SimpleType.DOUBLE, "memory pressure stall, percent; -1 without PSI"),
            new Var("io_pressure", SimpleType.DOUBLE, "I/O pressure stall, percent; -1 without PSI"),
            new Var("load_known", SimpleType.BOOL, "a load sensor reports"),
            new Var(
                    "contending",
                    SimpleType.BOOL,
                    "the owner's demand is at or above the [policy] limits (owner_cpu_max, *_pressure_max) now"),
            new Var(
                    "contending_seconds",
                    SimpleType.INT,
                    "how long it has been, without a break; 0 when not contending"),
            new Var(
                    "calm_seconds",
                    SimpleType.INT,
                    "how long the demand has stayed below the limits; 0 while contending; 3153600000 (100 years) without a load sensor"),
            new Var("on_battery", SimpleType.BOOL, "running on battery"),
            new Var("battery_percent", SimpleType.INT, "battery charge; -1 without a battery"),
            new Var("gpu_busy", SimpleType.DOUBLE, "the owner's GPU use, 0..1; -1 when unknown"),
            new Var("hour", SimpleType.INT, "local hour 0-23 (time_zone)"),
            new Var("minute_of_day", SimpleType.INT, "local minutes since midnight, 0-1439"),
            new Var("weekday", SimpleType.INT, "local day of the week, 1 = Monday ... 7 = Sunday"),
            new Var("in_window", SimpleType.BOOL, "inside the [policy] window"),
            new Var(
                    "job_state",
                    SimpleType.STRING,
                    "\"running\", \"lingering\", \"frozen\", \"vacating\"; \"none\" in start"),
            new Var("state_seconds", SimpleType.INT, "seconds in the current state; 0 in start"),
            new Var("job_run_seconds", SimpleType.INT, "seconds the attempt has run, frozen time excluded; 0 in start"),
            new Var("frozen_seconds", SimpleType.INT, "seconds frozen; 0 unless frozen"),
            new Var("checkpointable", SimpleType.BOOL, "the job checkpoints when signalled; false in start"),
            new Var("remaining_seconds", SimpleType.INT, "expected remaining run time, rounded up; -1 when unknown"),
            new Var("uses_gpu", SimpleType.BOOL, "the attempt uses the GPU; false in start"));

    static final Map<String, Var> BY_NAME;

    static {
        Map<String, Var> m = new LinkedHashMap<>();
        for (Var v : ALL) m.put(v.name(), v);
        BY_NAME = m;
    }

    private CelVariables() {}

    /** The values for one decision; {@code attempt} is null when deciding whether work may start. */
    static CelVariableResolver resolver(Situation x, AttemptFacts attempt) {
        return name -> Optional.ofNullable(value(name, x, attempt));
    }

    /** One variable's value, as CEL wants it (Long, Double, Boolean, String); null for unknown names. */
    static Object value(String name, Situation x, AttemptFacts a) {
        Presence p = x.presence;
        OwnerDemand d = p.demand();
        return switch (name) {
            case "idle_seconds" -> seconds(x.idle());
            case "input_idle_seconds" -> p.inputIdleFor() == null ? -1L : seconds(p.inputIdleFor());
            case "present" -> x.present();
            case "owner_state" -> p.state().name().toLowerCase(Locale.ROOT);
            case "remote_session" -> p.remoteSession();
            case "inhibited" -> p.inhibited();
            case "exclusive_app" -> p.handsOff();
            case "owner_cpus" -> d.ownerCpus();
            case "cores" -> cores(x);
            case "owner_cpu_fraction" -> d.ownerCpus() / cores(x);
            case "job_cpus" -> x.machine.jobCpus();
            case "cpu_pressure" -> d.cpuPressure();
            case "memory_pressure" -> d.memoryPressure();
            case "io_pressure" -> d.ioPressure();
            case "load_known" -> d.known();
            case "contending" -> x.contention.over();
            case "contending_seconds" -> seconds(x.contention.overFor(x.now));
            case "calm_seconds" -> seconds(x.contention.calmFor(x.now));
            case "on_battery" -> p.onBattery();
            case "battery_percent" -> p.batteryPercent() == null ? -1L : (long) p.batteryPercent();
            case "gpu_busy" -> p.gpuBusy();
            case "hour" -> (long) local(x).getHour();
            case "minute_of_day" -> (long) (local(x).getHour() * 60 + local(x).getMinute());
            case "weekday" -> (long) local(x).getDayOfWeek().getValue();
            case "in_window" -> x.windowOpen;
            case "job_state" -> a == null ? "none" : a.state().celName();
            case "state_seconds" -> a == null ? 0L : seconds(ThresholdPolicy.between(a.since(), x.now));
            case "job_run_seconds" -> a == null ? 0L : seconds(a.ranFor());
            case "frozen_seconds" ->
                a != null && a.state() == AttemptState.FROZEN ? seconds(ThresholdPolicy.between(a.since(), x.now)) : 0L;
            case "checkpointable" -> a != null && a.checkpointable();
            case "remaining_seconds" -> a == null || a.remaining() == null ? -1L : secondsUp(a.remaining());
            case "uses_gpu" -> a != null && a.usesGpu();
            default -> null;
        };
    }

    private static double cores(Situation x) {
        OwnerDemand d = x.presence.demand();
        return d.known() && d.cores() > 0 ? d.cores() : x.machine.cores();
    }

    private static ZonedDateTime local(Situation x) {
        return x.now.atZone(x.zone);
    }

    static long seconds(Duration d) {
        return d.toSeconds();
    }

    private static long secondsUp(Duration d) {
        return d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    }
}
