package org.cyphon.core.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named starting points of {@code [policy]}, written as the same key/value texts a config
 * file uses, so every preset documents itself and every threshold can be overridden.
 *
 * <ul>
 *   <li>{@code desktop} (default): start after 5 min idle; while the owner is present, linger at
 *       idle priority with capped memory and I/O as long as their demand stays low; freeze once
 *       their demand would contend (sustained 15 s, so a spike does not); thaw after 2 min idle or
 *       1 min of calm; checkpoint and vacate after 10 min frozen.</li>
 *   <li>{@code strict}: freeze on any input; thaw after 5 min idle.</li>
 *   <li>{@code htcondor-desktop}: HTCondor's documented desktop defaults, evaluated every 5 s.</li>
 *   <li>{@code boinc-default}: BOINC client defaults (no suspend on input), evaluated every 10 s.</li>
 *   <li>{@code nights-only}: desktop, but only nights (19:00-07:00) and weekends.</li>
 *   <li>{@code dedicated}: always run.</li>
 * </ul>
 */
public final class PolicyPresets {
    public static final String DEFAULT = "desktop";

    private static final Map<String, String> DESKTOP = entries(
            "preset", "desktop",
            "present_within", "60s",
            "forget_silent_after", "off",
            "load_history", "15m",
            "ignored_users", "",
            "ignored_inhibitors", "",
            "remote_sessions", "true",
            "when_present", "linger",
            "start_after_idle", "5m",
            "start_while_present", "linger",
            "thaw_after_idle", "2m",
            "calm_for", "1m",
            "start_owner_cpu_max", "off",
            "owner_cpu_max", "free",
            "cpu_pressure_max", "20%",
            "memory_pressure_max", "10%",
            "io_pressure_max", "20%",
            "contend_for", "15s",
            "contend_after_run", "0s",
            "finish_within", "30s",
            "vacate_after_frozen", "10m",
            "vacate_uncheckpointable_after", "off",
            "vacate_grace", "5m",
            "run_on_battery", "false",
            "exclusive_apps", "freeze",
            "gpu_when_present", "freeze",
            "gpu_busy_max", "10%",
            "window", "always",
            "time_zone", "machine",
            "evaluate_every", "0s",
            "linger_memory_max", "50%",
            "linger_io_max", "20M",
            "start", "",
            "freeze", "",
            "thaw", "",
            "vacate", "",
            "kill", "",
            "linger", "");

    private static final Map<String, Map<String, String>> PRESETS = new LinkedHashMap<>();

    static {
        PRESETS.put("desktop", DESKTOP);
        PRESETS.put(
                "strict",
                derive(
                        "strict",
                        "when_present",
                        "freeze",
                        "start_while_present",
                        "wait",
                        "thaw_after_idle",
                        "5m",
                        "finish_within",
                        "0s"));
        // HTCondor's desktop policy: START = KeyboardIdle > 15 min && NonCondorLoadAvg <= 0.3;
        // SUSPEND = KeyboardIdle < 60 s || (load >= 0.5 for > 2 min && run > 90 s);
        // CONTINUE = load <= 0.3 && KeyboardIdle > 5 min; PREEMPT after 10 min suspended (any job);
        // KILL 10 min after vacating began; the startd evaluates every 5 s (POLLING_INTERVAL).
        // It knows no battery, exclusive apps or GPU owners, so those stops are off.
        PRESETS.put(
                "htcondor-desktop",
                derive(
                        "htcondor-desktop",
                        "when_present",
                        "freeze",
                        "start_after_idle",
                        "15m",
                        "start_while_present",
                        "wait",
                        "thaw_after_idle",
                        "5m",
                        "calm_for",
                        "0s",
                        "start_owner_cpu_max",
                        "0.3",
                        "owner_cpu_max",
                        "0.5",
                        "cpu_pressure_max",
                        "off",
                        "memory_pressure_max",
                        "off",
                        "io_pressure_max",
                        "off",
                        "contend_for",
                        "2m",
                        "contend_after_run",
                        "90s",
                        "finish_within",
                        "0s",
                        "vacate_uncheckpointable_after",
                        "10m",
                        "vacate_grace",
                        "10m",
                        "run_on_battery",
                        "true",
                        "exclusive_apps",
                        "ignore",
                        "gpu_when_present",
                        "run",
                        "gpu_busy_max",
                        "off",
                        "evaluate_every",
                        "5s"));
        // BOINC client defaults: computing allowed after 3 min without input; "suspend when computer
        // is in use" is off, so input never suspends CPU work (GPU work does wait while the user is
        // active, "in use" meaning input in the last 3 min); suspend while non-BOINC CPU use is above
        // 25 %, sampled every 10 s, resume when below; suspend on battery; exclusive apps stop all
        // work; suspended tasks stay suspended (no preemption).
        PRESETS.put(
                "boinc-default",
                derive(
                        "boinc-default",
                        "present_within",
                        "3m",
                        "when_present",
                        "run",
                        "start_after_idle",
                        "3m",
                        "start_while_present",
                        "wait",
                        "thaw_after_idle",
                        "0s",
                        "calm_for",
                        "0s",
                        "owner_cpu_max",
                        "25%",
                        "cpu_pressure_max",
                        "off",
                        "memory_pressure_max",
                        "off",
                        "io_pressure_max",
                        "off",
                        "contend_for",
                        "0s",
                        "finish_within",
                        "0s",
                        "vacate_after_frozen",
                        "off",
                        "vacate_grace",
                        "10m",
                        "gpu_busy_max",
                        "off",
                        "evaluate_every",
                        "10s"));
        // A night is 19:00 to 07:00, including Sunday night into Monday; weekends are whole days.
        PRESETS.put("nights-only", derive("nights-only", "window", "daily 19:00-07:00, sat-sun"));
        PRESETS.put(
                "dedicated",
                derive(
                        "dedicated",
                        "when_present",
                        "run",
                        "start_after_idle",
                        "0s",
                        "start_while_present",
                        "wait",
                        "thaw_after_idle",
                        "0s",
                        "calm_for",
                        "0s",
                        "owner_cpu_max",
                        "off",
                        "cpu_pressure_max",
                        "off",
                        "memory_pressure_max",
                        "off",
                        "io_pressure_max",
                        "off",
                        "contend_for",
                        "0s",
                        "finish_within",
                        "0s",
                        "vacate_after_frozen",
                        "off",
                        "run_on_battery",
                        "true",
                        "exclusive_apps",
                        "ignore",
                        "gpu_when_present",
                        "run",
                        "gpu_busy_max",
                        "off"));
    }

    private PolicyPresets() {}

    /** @throws InvalidPolicyException (key {@code preset}) naming the known presets */
    public static PolicySettings named(String name) {
        Map<String, String> table = PRESETS.get(name == null ? DEFAULT : name.trim());
        if (table == null) {
            throw new InvalidPolicyException(
                    "preset", "unknown preset '" + name + "' (known: " + String.join(", ", names()) + ")");
        }
        return new PolicySettings(table);
    }

    public static List<String> names() {
        return List.copyOf(PRESETS.keySet());
    }

    /** The preset's key/value texts, as the README table shows them. */
    public static Map<String, String> table(String name) {
        named(name);
        return PRESETS.get(name);
    }

    private static Map<String, String> derive(String name, String... keysAndValues) {
        Map<String, String> t = new LinkedHashMap<>(DESKTOP);
        t.put("preset", name);
        t.putAll(entries(keysAndValues));
        return java.util.Collections.unmodifiableMap(t);
    }

    private static Map<String, String> entries(String... keysAndValues) {
        Map<String, String> t = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (!PolicyKeys.known(keysAndValues[i]))
                throw new IllegalStateException("unknown key in preset: " + keysAndValues[i]);
            t.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(t);
    }
}
