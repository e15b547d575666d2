package org.cyphon.core.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every key of the {@code [policy]} section, in the order the README documents them, with its
 * meaning. {@link PolicySettings} reads exactly these; any other key is refused by name.
 */
public final class PolicyKeys {
    /** One key and what it means. */
    public record Key(String name, String meaning) {}

    private static final List<Key> ALL = List.of(
            new Key(
                    "preset",
                    "the preset the other keys start from: desktop, strict, htcondor-desktop, boinc-default, nights-only, dedicated"),
            // presence
            new Key("present_within", "owner activity this recent (input, a session hint) means the owner is present"),
            new Key(
                    "forget_silent_after",
                    "ignore state signals (sessions, load, power, exclusive apps, GPU) older than this; off: never"),
            new Key("load_history", "how much owner load history is kept; bounds contend_for and calm_for"),
            new Key(
                    "ignored_users",
                    "comma-separated users whose sessions are not the owner (the job user, monitoring)"),
            new Key(
                    "ignored_inhibitors",
                    "comma-separated idle-inhibitor holders (substrings) that do not mean someone is watching"),
            new Key("remote_sessions", "an active SSH/RDP/VNC session counts as presence (true/false)"),
            // when to run
            new Key(
                    "when_present",
                    "what running work does while the owner is present and not contending: linger, freeze or run"),
            new Key("start_after_idle", "new work starts only after the owner has been idle this long"),
            new Key(
                    "start_while_present",
                    "with when_present = linger: wait (new work waits for start_after_idle) or linger (new work may start while the owner is present, lingering from its first second, if their demand leaves room)"),
            new Key("thaw_after_idle", "frozen work thaws once the owner has been idle this long and nothing contends"),
            new Key(
                    "calm_for",
                    "with when_present = linger or run: frozen work thaws once the owner's demand has stayed below the limits this long, even while present"),
            new Key(
                    "start_owner_cpu_max",
                    "new work starts (and frozen work thaws after idle) only if the owner uses at most this: CPUs (0.3), percent of cores (25%) or off"),
            // contention
            new Key(
                    "owner_cpu_max",
                    "owner CPU demand at or above this contends: CPUs (0.5), percent of cores (25%), free (what the jobs leave free, at least 1 CPU) or off"),
            new Key(
                    "cpu_pressure_max",
                    "CPU pressure stall (some, avg10) at or above this percentage contends; off to ignore"),
            new Key("memory_pressure_max", "memory pressure stall at or above this percentage contends; off to ignore"),
            new Key("io_pressure_max", "I/O pressure stall at or above this percentage contends; off to ignore"),
            new Key(
                    "contend_for",
                    "contention must be sustained this long before running work freezes (a shorter spike does not freeze anything)"),
            new Key(
                    "contend_after_run",
                    "load-based freezing waits until the attempt has run this long (HTCondor: 90s)"),
            new Key(
                    "finish_within",
                    "an attempt expected to finish within this is not frozen for contention; it finishes at idle priority; 0s: off"),
            // leaving
            new Key(
                    "vacate_after_frozen",
                    "a checkpointable attempt frozen this long is told to checkpoint and leave; off: never"),
            new Key(
                    "vacate_uncheckpointable_after",
                    "an attempt that cannot checkpoint, frozen this long, is told to leave anyway (its work is lost); off: never"),
            new Key("vacate_grace", "how long a leaving attempt may take to checkpoint and exit before it is killed"),
            // hard stops
            new Key(
                    "run_on_battery",
                    "work may run on battery (true/false); false freezes running work and starts none"),
            new Key("exclusive_apps", "while an exclusive application runs: freeze (all work) or ignore"),
            new Key("gpu_when_present", "GPU work while the owner is present: freeze or run"),
            new Key(
                    "gpu_busy_max",
                    "GPU work freezes while the owner's GPU use is at or above this percentage; off to ignore"),
            new Key(
                    "window",
                    "weekly hours in which work may run, local time: always, or e.g. 'daily 19:00-07:00, sat-sun'; outside it work freezes and none starts"),
            new Key(
                    "time_zone",
                    "zone of the window and of CEL's hour/weekday: machine (the desk's own) or a zone id such as Europe/Paris"),
            // cadence and caps
            new Key(
                    "evaluate_every",
                    "0s: decide on every signal; otherwise decide only on ticks of this period (to reproduce HTCondor's 5s, BOINC's 10s)"),
            new Key("linger_memory_max", "lingering work may hold at most this percentage of the machine's memory"),
            new Key(
                    "linger_io_max",
                    "lingering work's I/O is capped to this many bytes per second (e.g. 20M); off: no cap"),
            // custom expressions
            new Key("start", "CEL: new work may start (custom policy; needs start, freeze, thaw and vacate)"),
            new Key("freeze", "CEL: running work freezes (HTCondor's SUSPEND)"),
            new Key("thaw", "CEL: frozen work thaws (HTCondor's CONTINUE)"),
            new Key("vacate", "CEL: work checkpoints and leaves (HTCondor's PREEMPT)"),
            new Key("kill", "CEL, optional: leaving work is killed (default: after vacate_grace)"),
            new Key(
                    "linger",
                    "CEL, optional: running work lingers with the linger caps instead of running (default: false)"));

    private static final Map<String, Key> BY_NAME;

    static {
        Map<String, Key> m = new LinkedHashMap<>();
        for (Key k : ALL) m.put(k.name(), k);
        BY_NAME = m;
    }

    private PolicyKeys() {}

    public static List<Key> all() {
        return ALL;
    }

    public static boolean known(String name) {
        return BY_NAME.containsKey(name);
    }

    /** "a, b, c": for the unknown-key message. */
    static String knownList() {
        return String.join(", ", BY_NAME.keySet().stream().sorted().toList());
    }
}
