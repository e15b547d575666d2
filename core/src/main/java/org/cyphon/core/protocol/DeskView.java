package org.cyphon.core.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.time.Duration;
import java.time.Instant;
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
 * @param power       how this desk sees a power-off coming and how long its agent has to leave;
 *                    null from agents before it
 * @param gpuMayStart new GPU work may start (the policy's GPU rules: {@code gpu_when_present},
 *                    {@code gpu_busy_max}); the coordinator then offers the desk's free GPUs.
 *                    Null from agents before GPU jobs: as {@code mayStart}
 * @param ownerSince  when {@code owner} last changed as the agent saw it (away: when the owner's
 *                    presence lapsed; present or hands off: when it began, or when the agent started
 *                    if they were already there); null when nobody was ever seen, and from older agents
 * @param ownerVisible jobs slow to yield to the owner ({@link OwnerVisibleEvent}) that no answered
 *                    heartbeat has carried yet; sent only when there are any
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
        @JsonInclude(JsonInclude.Include.NON_NULL) PowerView power,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean gpuMayStart,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant ownerSince,

        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonSetter(nulls = Nulls.AS_EMPTY)
        List<OwnerVisibleEvent> ownerVisible) {

    /**
     * The idle time from which a view of an agent without {@code nobodySeen} means "nobody seen":
     * those agents counted a headless desk's idle time from 1970, and no one is idle this long.
     */
    private static final Duration OLDER_AGENTS_NOBODY_SEEN = Duration.ofDays(3650);

    public DeskView {
        if (idleSeconds >= OLDER_AGENTS_NOBODY_SEEN.toSeconds()) nobodySeen = true;
        ownerVisible = ownerVisible == null ? List.of() : List.copyOf(ownerVisible);
    }

    /** A view without the owner's since and slow yields (what agents before them sent). */
    public DeskView(
            String owner,
            long idleSeconds,
            boolean nobodySeen,
            boolean mayStart,
            String policy,
            List<String> reasons,
            List<SensorView> sensors,
            PowerView power,
            Boolean gpuMayStart) {
        this(owner, idleSeconds, nobodySeen, mayStart, policy, reasons, sensors, power, gpuMayStart, null, null);
    }

    /** This view with when the owner's state began and the slow yields not yet reported. */
    public DeskView withOwnerSince(Instant since, List<OwnerVisibleEvent> slowYields) {
        return new DeskView(
                owner,
                idleSeconds,
                nobodySeen,
                mayStart,
                policy,
                reasons,
                sensors,
                power,
                gpuMayStart,
                nobodySeen ? null : since,
                slowYields);
    }

    /** A view without power information that says nothing of GPU work. */
    public DeskView(
            String owner,
            long idleSeconds,
            boolean nobodySeen,
            boolean mayStart,
            String policy,
            List<String> reasons,
            List<SensorView> sensors) {
        this(owner, idleSeconds, nobodySeen, mayStart, policy, reasons, sensors, null, null);
    }

    /** A view that says nothing of GPU work (what agents before GPU jobs sent). */
    public DeskView(
            String owner,
            long idleSeconds,
            boolean nobodySeen,
            boolean mayStart,
            String policy,
            List<String> reasons,
            List<SensorView> sensors,
            PowerView power) {
        this(owner, idleSeconds, nobodySeen, mayStart, policy, reasons, sensors, power, null);
    }

    /** Whether new GPU work may start: never when no work may. */
    public boolean gpuWorkMayStart() {
        return mayStart && (gpuMayStart == null || gpuMayStart);
    }

    /**
     * The view of {@code presence} with the agent's start decision, reasons and sensors.
     *
     * @param mayStart new work may start on this desk now (GPU work too)
     */
    public static DeskView of(
            Presence presence, boolean mayStart, String policy, List<String> reasons, List<SensorView> sensors) {
        return of(presence, mayStart, mayStart, policy, reasons, sensors, null);
    }

    /** {@link #of(Presence, boolean, String, List, List)} with what the desk knows of power-offs. */
    public static DeskView of(
            Presence presence,
            boolean mayStart,
            String policy,
            List<String> reasons,
            List<SensorView> sensors,
            PowerView power) {
        return of(presence, mayStart, mayStart, policy, reasons, sensors, power);
    }

    /**
     * {@link #of(Presence, boolean, String, List, List, PowerView)} with whether GPU work may start.
     *
     * @param gpuMayStart new GPU work may start too
     */
    public static DeskView of(
            Presence presence,
            boolean mayStart,
            boolean gpuMayStart,
            String policy,
            List<String> reasons,
            List<SensorView> sensors,
            PowerView power) {
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
                power,
                gpuMayStart);
    }

    /** One sensor: running or not, and why not. */
    public record SensorView(String name, boolean running, String status) {}

    /**
     * How the desk's agent leaves when the desk goes down.
     *
     * @param announcedBy      who tells the agent of a power-off or a sleep beforehand ({@code logind}),
     *                         or null: nobody, only the SIGTERM of the shutdown reaches it
     * @param delayLock        the agent holds a delay inhibitor lock, so the announcer waits for it
     * @param delayMaxMillis   how long the announcer waits at most for the lock (logind's
     *                         InhibitDelayMaxUSec): the bound on checkpointing the jobs and saving the
     *                         desk VM; null when unknown
     * @param stopWithinMillis the bound on the checkpoint-and-vacate of a SIGTERM (a stop, a plain reboot)
     * @param problem          why nothing announces power-offs, or why the lock is not held; null when all is well
     */
    public record PowerView(
            String announcedBy, boolean delayLock, Long delayMaxMillis, long stopWithinMillis, String problem) {}
}
