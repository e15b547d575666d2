package org.cyphon.core.owner;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The person at the desk as of {@link #at()}, fused from every signal by {@link PresenceFusion}:
 * present or away, for how long, what they demand of the machine, and why we think so.
 *
 * <p>Time-dependent answers ({@link #present()}, {@link #idleFor()}) are derived from instants,
 * so {@link #at(Instant)} gives the same facts seen from another moment: that is how a policy
 * finds the next instant its decision would change without any new signal.
 *
 * @param at             the moment this presence describes
 * @param idleSince      the owner's latest activity (input, a session's idle hint, a remote
 *                       session's last use), or when watching began if none was seen
 * @param nobodySeen     nobody has ever been seen at this desk, and no sensor can see anyone here
 *                       (a headless machine: no input device, display or local session): the owner
 *                       is away for good, so {@link #idleFor()} is {@link #IDLE_FOREVER} rather than
 *                       the time since watching began
 * @param ongoing        activity that continues without input: an idle inhibitor (video,
 *                       presentation), an active remote session, a session the session manager
 *                       calls busy when no input sensor exists; idle time stays zero meanwhile
 * @param presentUntil   when presence by the latest activity lapses ({@code idleSince +
 *                       present_within}); null when no activity was ever seen
 * @param lastInput      the latest keyboard/mouse/touch input from any input sensor; null if none
 * @param activity       one sentence: what the idle time rests on
 * @param remoteSessions active remote sessions, "ssh of alice"
 * @param inhibitors     idle inhibitors held, "mpv: video playing"
 * @param exclusiveApps  configured hands-off applications running now
 * @param demand         the owner's CPU use and pressure
 * @param load           recent load samples, for "sustained for" thresholds
 * @param onBattery      running on battery
 * @param batteryPercent charge, null when there is no battery or it is unknown
 * @param gpuBusy        owner GPU utilisation 0..1, negative when unknown
 * @param reasons        short human sentences for {@code cyphon machine NAME}
 */
public record Presence(
        Instant at,
        Instant idleSince,
        boolean nobodySeen,
        boolean ongoing,
        Instant presentUntil,
        Instant lastInput,
        String activity,
        List<String> remoteSessions,
        List<String> inhibitors,
        List<String> exclusiveApps,
        OwnerDemand demand,
        LoadHistory load,
        boolean onBattery,
        Integer batteryPercent,
        double gpuBusy,
        List<String> reasons) {

    /** What the owner is doing, coarsely: for displays and CEL, while policies use the fields. */
    public enum State {
        /** Someone is using the desk (recent input, watching a video, logged in remotely). */
        PRESENT,
        /** Nobody is using it. */
        AWAY,
        /** An exclusive application runs (a game, a video call): hands off, present or not. */
        HANDS_OFF
    }

    /**
     * How long a desk where nobody has ever been seen counts as idle: long enough for any idle
     * threshold of a policy or a desk VM's plan, small enough for arithmetic (and CEL's int).
     */
    public static final Duration IDLE_FOREVER = Duration.ofDays(365L * 100);

    public Presence {
        remoteSessions = List.copyOf(remoteSessions);
        inhibitors = List.copyOf(inhibitors);
        exclusiveApps = List.copyOf(exclusiveApps);
        reasons = List.copyOf(reasons);
    }

    /** Someone is at (or remotely on) the desk: ongoing activity, or activity within present_within. */
    public boolean present() {
        return ongoing || (presentUntil != null && at.isBefore(presentUntil));
    }

    /**
     * How long the owner has done nothing; zero while activity is ongoing; {@link #IDLE_FOREVER}
     * when nobody has ever been seen at this desk.
     */
    public Duration idleFor() {
        return idleForAt(at);
    }

    /**
     * {@code at(moment).idleFor()} without making that Presence: a placement pass asks it of every
     * open desk (the simulator, a thousand desks a pass).
     */
    public Duration idleForAt(Instant moment) {
        if (nobodySeen) return IDLE_FOREVER;
        if (ongoing || !moment.isAfter(idleSince)) return Duration.ZERO;
        // Duration.between, without its detour through nanoseconds and an overflow check (same value).
        return Duration.ofSeconds(
                moment.getEpochSecond() - idleSince.getEpochSecond(), moment.getNano() - idleSince.getNano());
    }

    /** How long since the latest physical input; null when no input sensor ever saw any. */
    public Duration inputIdleFor() {
        if (lastInput == null) return null;
        return at.isAfter(lastInput) ? Duration.between(lastInput, at) : Duration.ZERO;
    }

    public State state() {
        if (handsOff()) return State.HANDS_OFF;
        return present() ? State.PRESENT : State.AWAY;
    }

    public boolean handsOff() {
        return !exclusiveApps.isEmpty();
    }

    public boolean remoteSession() {
        return !remoteSessions.isEmpty();
    }

    public boolean inhibited() {
        return !inhibitors.isEmpty();
    }

    /**
     * The same facts seen from {@code moment}: later, the owner has been idle longer (no new
     * signal is assumed); earlier, activity seen after that moment counts as presence then.
     */
    public Presence at(Instant moment) {
        if (moment.equals(at)) return this;
        return new Presence(
                moment,
                idleSince,
                nobodySeen,
                ongoing,
                presentUntil,
                lastInput,
                activity,
                remoteSessions,
                inhibitors,
                exclusiveApps,
                demand,
                load,
                onBattery,
                batteryPercent,
                gpuBusy,
                reasons);
    }
}
