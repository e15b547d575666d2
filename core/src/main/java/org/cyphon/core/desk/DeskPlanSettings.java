package org.cyphon.core.desk;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import org.cyphon.core.policy.WeeklyWindow;
import org.cyphon.core.text.Durations;

/**
 * How a desk's VM follows its owner ({@code [desk]} in agent.toml).
 *
 * @param hours            desk hours ({@code mon-fri 07:30-19:00}): by day the VM is never saved to
 *                         disk, only paused, so the owner's return is instant; null: every hour is a
 *                         desk hour
 * @param zone             the desk's time zone, for the hours
 * @param restoreAhead     a saved VM is brought back this long before desk hours begin
 * @param pauseAfterIdle   the owner away this long: the VM is paused
 * @param saveAfterIdle    outside desk hours, the owner away this long: the VM is saved to disk
 * @param overloadCpuFloor the CPUs the VM keeps while an overload is on; null: this desk's VM is
 *                         never capped (its policy does not allow it)
 */
public record DeskPlanSettings(
        WeeklyWindow hours,
        ZoneId zone,
        Duration restoreAhead,
        Duration pauseAfterIdle,
        Duration saveAfterIdle,
        Double overloadCpuFloor) {

    public DeskPlanSettings {
        Objects.requireNonNull(zone, "zone");
        requireNotNegative("restore_ahead", restoreAhead);
        requireNotNegative("pause_after_idle", pauseAfterIdle);
        requireNotNegative("save_after_idle", saveAfterIdle);
        if (saveAfterIdle.compareTo(pauseAfterIdle) < 0) {
            throw new IllegalArgumentException("save_after_idle (" + Durations.asWritten(saveAfterIdle)
                    + ") must not be shorter than pause_after_idle (" + Durations.asWritten(pauseAfterIdle) + ")");
        }
        if (overloadCpuFloor != null && !(overloadCpuFloor > 0)) {
            throw new IllegalArgumentException(
                    "overload_cpu_floor must be a positive number of CPUs: " + overloadCpuFloor);
        }
    }

    private static void requireNotNegative(String key, Duration d) {
        Objects.requireNonNull(d, key);
        if (d.isNegative())
            throw new IllegalArgumentException(key + " must not be negative: " + Durations.asWritten(d));
    }
}
