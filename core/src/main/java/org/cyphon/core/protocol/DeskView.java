package org.cyphon.core.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.cyphon.core.owner.Presence;

/**
 * What an agent knows of the person at its desk, sent with each heartbeat and shown by
 * {@code cyphon machine NAME}: the fused presence ({@code owner}: present, away or hands_off),
 * idle time, whether new work may start, the reasons for all of it, and each sensor's state.
 *
 * @param idleSeconds how long the owner has done nothing (0 while present); where nobody has ever
 *                    been seen, how long the agent has watched without seeing anyone
 * @param nobodySeen  nobody has ever been seen at this desk, and no sensor can see anyone here (a
 *                    headless machine): the owner is away for good, not since {@code idleSeconds}.
 *                    Sent only when true. Agents before this field said it with an idle time of
 *                    decades (counted from 1970): such a view is read as nobody seen.
 * @param gpuMayStart new GPU work may start (the policy's GPU rules: {@code gpu_when_present},
 *                    {@code gpu_busy_max}); the coordinator then offers the desk's free GPUs.
 *                    Null from agents before GPU jobs: as {@code mayStart}
 */
public record DeskView(
        String owner,
        long idleSeconds,

        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonSetter(nulls = Nulls.AS_EMPTY)
        boolean nobodySeen,

        boolean mayStart,
        String policy,
        List<String> reasons,
        List<SensorView> sensors,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean gpuMayStart) {

    /**
     * The idle time from which a view of an agent without {@code nobodySeen} means "nobody seen":
     * those agents counted a headless desk's idle time from 1970, and no one is idle this long.
     */
    private static final Duration OLDER_AGENTS_NOBODY_SEEN = Duration.ofDays(3650);

    public DeskView {
        if (idleSeconds >= OLDER_AGENTS_NOBODY_SEEN.toSeconds()) nobodySeen = true;
    }

    /** A view that says nothing of GPU work (what agents before GPU jobs sent). */
    public DeskView(
            String owner,
            long idleSeconds,
            boolean nobodySeen,
            boolean mayStart,
            String policy,
            List<String> reasons,
            List<SensorView> sensors) {
        this(owner, idleSeconds, nobodySeen, mayStart, policy, reasons, sensors, null);
    }

    /** Whether new GPU work may start: never when no work may. */
    public boolean gpuWorkMayStart() {
        return mayStart && (gpuMayStart == null || gpuMayStart);
    }

    /**
     * The view of {@code presence} with the agent's start decision, reasons and sensors.
     *
     * @param mayStart    new work may start on this desk now
     * @param gpuMayStart new GPU work may too
     */
    public static DeskView of(
            Presence presence,
            boolean mayStart,
            boolean gpuMayStart,
            String policy,
            List<String> reasons,
            List<SensorView> sensors) {
        Duration idle =
                presence.nobodySeen() ? Duration.between(presence.idleSince(), presence.at()) : presence.idleFor();
        return new DeskView(
                presence.state().name().toLowerCase(Locale.ROOT),
                Math.max(0, idle.toSeconds()),
                presence.nobodySeen(),
                mayStart,
                policy,
                reasons,
                sensors,
                gpuMayStart);
    }

    /** One sensor: running or not, and why not. */
    public record SensorView(String name, boolean running, String status) {}
}
