package org.cyphon.core.policy;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cyphon.core.owner.PresenceSettings;
import org.cyphon.core.text.Durations;
import org.cyphon.core.text.Sizes;

/**
 * The {@code [policy]} section, parsed: a preset ({@link PolicyPresets}) plus overrides, every
 * threshold named (see {@link PolicyKeys} for each key's meaning). Immutable.
 *
 * <p>Settings are kept as the texts they were written in as well as parsed values, so
 * {@link #withOverrides} re-parses one complete table: presets, config files and tests all go
 * through the same parser and the same error messages. Built only by {@link PolicyPresets#named}
 * and {@link #withOverrides}, so a settings object is always complete and valid.
 */
public final class PolicySettings {
    private final Map<String, String> texts;

    private final String preset;
    private final PresenceSettings presence;
    private final WhenPresent whenPresent;
    private final Duration startAfterIdle;
    private final boolean startWhilePresent;
    private final Duration thawAfterIdle;
    private final Duration calmFor;
    private final CpuLimit startOwnerCpuMax;
    private final CpuLimit ownerCpuMax;
    private final Double cpuPressureMax;
    private final Double memoryPressureMax;
    private final Double ioPressureMax;
    private final Duration contendFor;
    private final Duration contendAfterRun;
    private final Duration finishWithin;
    private final Duration vacateAfterFrozen;
    private final Duration vacateUncheckpointableAfter;
    private final Duration vacateGrace;
    private final boolean runOnBattery;
    private final boolean exclusiveAppsFreeze;
    private final boolean gpuFreezeWhenPresent;
    private final Double gpuBusyMax;
    private final WeeklyWindow window;
    private final ZoneId timeZone;
    private final Duration evaluateEvery;
    private final LingerCaps lingerCaps;
    private final Map<String, String> expressions;

    /** Parses a complete table (every key of {@link PolicyKeys}). */
    PolicySettings(Map<String, String> complete) {
        for (PolicyKeys.Key k : PolicyKeys.all()) {
            if (!complete.containsKey(k.name())) throw new IllegalStateException("preset table lacks " + k.name());
        }
        Map<String, String> t = new LinkedHashMap<>();
        for (PolicyKeys.Key k : PolicyKeys.all())
            t.put(k.name(), complete.get(k.name()).trim());
        this.texts = Collections.unmodifiableMap(t);
        Reader r = new Reader(texts);

        preset = r.text("preset");
        presence = r.presence();
        whenPresent = r.choice(
                "when_present",
                Map.of("linger", WhenPresent.LINGER, "freeze", WhenPresent.FREEZE, "run", WhenPresent.RUN));
        startAfterIdle = r.duration("start_after_idle");
        startWhilePresent = r.choice("start_while_present", Map.of("wait", false, "linger", true));
        thawAfterIdle = r.duration("thaw_after_idle");
        calmFor = r.duration("calm_for");
        startOwnerCpuMax = r.cpu("start_owner_cpu_max");
        ownerCpuMax = r.cpu("owner_cpu_max");
        cpuPressureMax = r.percentOrOff("cpu_pressure_max");
        memoryPressureMax = r.percentOrOff("memory_pressure_max");
        ioPressureMax = r.percentOrOff("io_pressure_max");
        contendFor = r.duration("contend_for");
        contendAfterRun = r.duration("contend_after_run");
        finishWithin = r.duration("finish_within");
        vacateAfterFrozen = r.durationOrOff("vacate_after_frozen");
        vacateUncheckpointableAfter = r.durationOrOff("vacate_uncheckpointable_after");
        vacateGrace = r.duration("vacate_grace");
        runOnBattery = r.bool("run_on_battery");
        exclusiveAppsFreeze = r.choice("exclusive_apps", Map.of("freeze", true, "ignore", false));
        gpuFreezeWhenPresent = r.choice("gpu_when_present", Map.of("freeze", true, "run", false));
        Double gpuPercent = r.percentOrOff("gpu_busy_max");
        gpuBusyMax = gpuPercent == null ? null : gpuPercent / 100;
        window = r.window("window");
        timeZone = r.zone("time_zone");
        evaluateEvery = r.duration("evaluate_every");
        Double memory = r.percentOrOff("linger_memory_max");
        lingerCaps = new LingerCaps(memory == null ? 1.0 : memory / 100, r.bytesPerSecondOrOff("linger_io_max"));
        Map<String, String> e = new LinkedHashMap<>();
        for (String key : List.of("start", "freeze", "thaw", "vacate", "kill", "linger")) {
            if (!texts.get(key).isEmpty()) e.put(key, texts.get(key));
        }
        expressions = Collections.unmodifiableMap(e);
        validate();
    }

    private void validate() {
        if (whenPresent == WhenPresent.FREEZE && thawAfterIdle.compareTo(presence.presentWithin()) < 0) {
            throw new InvalidPolicyException(
                    "thaw_after_idle",
                    "must be at least present_within (" + Durations.format(presence.presentWithin())
                            + ") with when_present = freeze, or work would thaw while the owner is still present");
        }
        for (String key : List.of("contend_for", "calm_for")) {
            Duration d = key.equals("contend_for") ? contendFor : calmFor;
            if (d.compareTo(presence.loadHistory()) > 0) {
                throw new InvalidPolicyException(
                        key,
                        Durations.format(d) + " is longer than load_history ("
                                + Durations.format(presence.loadHistory()) + "); raise load_history");
            }
        }
        if (!evaluateEvery.isZero() && evaluateEvery.toMillis() < 100) {
            throw new InvalidPolicyException("evaluate_every", "must be 0s (every signal) or at least 100ms");
        }
    }

    /**
     * This table with some keys replaced. A {@code preset} key starts over from that preset, and the
     * other keys are applied on top of it.
     *
     * @throws InvalidPolicyException naming the first unknown key (with the list of known ones) or bad value
     */
    public PolicySettings withOverrides(Map<String, String> overrides) {
        if (overrides.isEmpty()) return this;
        PolicySettings base = overrides.containsKey("preset") ? PolicyPresets.named(overrides.get("preset")) : this;
        Map<String, String> merged = new LinkedHashMap<>(base.texts);
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (!PolicyKeys.known(e.getKey())) {
                throw new InvalidPolicyException(
                        e.getKey(), "unknown key '" + e.getKey() + "' (known here: " + PolicyKeys.knownList() + ")");
            }
            if (e.getKey().equals("preset")) continue;
            if (e.getValue() == null) throw new InvalidPolicyException(e.getKey(), "has no value");
            merged.put(e.getKey(), e.getValue());
        }
        return new PolicySettings(merged);
    }

    /** The {@code [policy]} section of a config file: {@code preset} (default desktop) plus overrides. */
    public static PolicySettings fromConfig(Map<String, String> section) {
        return PolicyPresets.named(PolicyPresets.DEFAULT).withOverrides(section);
    }

    /** Every key with its text, in {@link PolicyKeys} order: for display and round trips. */
    public Map<String, String> texts() {
        return texts;
    }

    public String preset() {
        return preset;
    }

    public PresenceSettings presence() {
        return presence;
    }

    public WhenPresent whenPresent() {
        return whenPresent;
    }

    public Duration startAfterIdle() {
        return startAfterIdle;
    }
    /**
     * New work may start while the owner is present (or idle less than start_after_idle), straight
     * into lingering: {@code start_while_present = linger}, which only means something with
     * {@code when_present = linger} (a preset's linger does not survive an override to freeze).
     */
    public boolean startWhilePresent() {
        return startWhilePresent && whenPresent == WhenPresent.LINGER;
    }

    public Duration thawAfterIdle() {
        return thawAfterIdle;
    }

    public Duration calmFor() {
        return calmFor;
    }

    public CpuLimit startOwnerCpuMax() {
        return startOwnerCpuMax;
    }

    public CpuLimit ownerCpuMax() {
        return ownerCpuMax;
    }
    /** Percent, null when off. */
    public Double cpuPressureMax() {
        return cpuPressureMax;
    }
    /** Percent, null when off. */
    public Double memoryPressureMax() {
        return memoryPressureMax;
    }
    /** Percent, null when off. */
    public Double ioPressureMax() {
        return ioPressureMax;
    }

    public Duration contendFor() {
        return contendFor;
    }

    public Duration contendAfterRun() {
        return contendAfterRun;
    }
    /** Zero when off. */
    public Duration finishWithin() {
        return finishWithin;
    }
    /** Null when never. */
    public Duration vacateAfterFrozen() {
        return vacateAfterFrozen;
    }
    /** Null when never. */
    public Duration vacateUncheckpointableAfter() {
        return vacateUncheckpointableAfter;
    }

    public Duration vacateGrace() {
        return vacateGrace;
    }

    public boolean runOnBattery() {
        return runOnBattery;
    }

    public boolean exclusiveAppsFreeze() {
        return exclusiveAppsFreeze;
    }

    public boolean gpuFreezeWhenPresent() {
        return gpuFreezeWhenPresent;
    }
    /** Fraction 0..1, null when off. */
    public Double gpuBusyMax() {
        return gpuBusyMax;
    }
    /** Null when always open. */
    public WeeklyWindow window() {
        return window;
    }
    /** Null: the machine's own zone. */
    public ZoneId timeZone() {
        return timeZone;
    }
    /** Zero: on every signal. */
    public Duration evaluateEvery() {
        return evaluateEvery;
    }

    public LingerCaps lingerCaps() {
        return lingerCaps;
    }
    /** The custom CEL expressions that are set, by key (start, freeze, thaw, vacate, kill, linger). */
    public Map<String, String> expressions() {
        return expressions;
    }
    /** True when any custom expression is set: {@link Policy#of} builds a CEL policy. */
    public boolean custom() {
        return !expressions.isEmpty();
    }

    @Override
    public String toString() {
        return "PolicySettings" + texts;
    }

    /** Reads one key at a time, turning parse failures into errors that name the key. */
    private record Reader(Map<String, String> texts) {
        String text(String key) {
            return texts.get(key);
        }

        PresenceSettings presence() {
            try {
                return new PresenceSettings(
                        duration("present_within"),
                        durationOrOff("forget_silent_after"),
                        duration("load_history"),
                        new LinkedHashSet<>(list("ignored_users")),
                        list("ignored_inhibitors"),
                        bool("remote_sessions"));
            } catch (InvalidPolicyException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new InvalidPolicyException("load_history", e.getMessage());
            }
        }

        Duration duration(String key) {
            try {
                return Durations.parse(texts.get(key));
            } catch (IllegalArgumentException e) {
                throw new InvalidPolicyException(key, e.getMessage());
            }
        }

        Duration durationOrOff(String key) {
            return off(key) ? null : duration(key);
        }

        boolean bool(String key) {
            return choice(key, Map.of("true", true, "false", false));
        }

        <T> T choice(String key, Map<String, T> options) {
            T v = options.get(texts.get(key).toLowerCase(Locale.ROOT));
            if (v == null) {
                throw new InvalidPolicyException(
                        key,
                        "'" + texts.get(key) + "' is not one of "
                                + String.join(
                                        ", ", options.keySet().stream().sorted().toList()));
            }
            return v;
        }

        Double percentOrOff(String key) {
            if (off(key)) return null;
            String t = texts.get(key).replace("%", "").trim();
            try {
                double p = Double.parseDouble(t);
                if (p >= 0 && p <= 100) return p;
            } catch (NumberFormatException e) {
                // below
            }
            throw new InvalidPolicyException(
                    key, "'" + texts.get(key) + "' is not a percentage 0-100 (examples: 20%, 10, off)");
        }

        CpuLimit cpu(String key) {
            try {
                return CpuLimit.parse(texts.get(key));
            } catch (IllegalArgumentException e) {
                throw new InvalidPolicyException(key, e.getMessage());
            }
        }

        WeeklyWindow window(String key) {
            String t = texts.get(key);
            if (t.equalsIgnoreCase("always")) return null;
            try {
                return WeeklyWindow.parse(t);
            } catch (IllegalArgumentException e) {
                throw new InvalidPolicyException(key, e.getMessage());
            }
        }

        ZoneId zone(String key) {
            String t = texts.get(key);
            if (t.equalsIgnoreCase("machine")) return null;
            try {
                return ZoneId.of(t);
            } catch (RuntimeException e) {
                throw new InvalidPolicyException(
                        key, "'" + t + "' is not a time zone (examples: machine, UTC, Europe/Paris)");
            }
        }

        long bytesPerSecondOrOff(String key) {
            if (off(key)) return 0;
            String t = texts.get(key);
            try {
                return Sizes.parse(t.endsWith("/s") ? t.substring(0, t.length() - 2) : t);
            } catch (IllegalArgumentException e) {
                throw new InvalidPolicyException(key, e.getMessage());
            }
        }

        List<String> list(String key) {
            return Arrays.stream(texts.get(key).split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .toList();
        }

        private boolean off(String key) {
            String t = texts.get(key).toLowerCase(Locale.ROOT);
            return t.equals("off") || t.equals("never") || t.equals("none");
        }
    }
}
