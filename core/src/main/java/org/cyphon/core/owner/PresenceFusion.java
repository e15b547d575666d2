package org.cyphon.core.owner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.core.text.Durations;

/**
 * Fuses every sensor's latest word into one {@link Presence}: is the owner here, since when have
 * they done nothing, what do they demand of the machine, and the reasons, in sentences.
 *
 * <p>The rules, each answering a known complaint about HTCondor and BOINC:
 * <ul>
 *   <li>The owner's latest activity is the latest input over <em>all</em> input sensors (evdev,
 *       X11, ...), so one sensor that cannot see a USB or Bluetooth keyboard does not make a busy
 *       desk look idle.</li>
 *   <li>A missing input sensor or a switched-off keyboard is not presence: with no activity seen,
 *       the owner is idle since watching began (never longer, never "present"), unless the
 *       machine is headless (no sensor can see anyone at all): then nobody has been seen at this
 *       desk, and it is idle for good.</li>
 *   <li>systemd-logind's IdleHint/IdleSinceHint stands in where X11 cannot be asked (Wayland,
 *       sandboxed services): the moment a local session's hint last changed is owner activity (it
 *       flips to busy on input and to idle after the last input). A session that says "busy" counts
 *       as ongoing presence only when no input sensor exists, since then nothing more precise
 *       can contradict it.</li>
 *   <li>An active remote session (SSH, RDP, VNC) is presence; an idle-hinted one is activity at
 *       its idle-since time.</li>
 *   <li>An idle inhibitor (a playing video, a presentation) is presence without input; a paused
 *       video releases it and the owner can be away again.</li>
 *   <li>An exclusive application (a game, a video call) means hands off, present or not.</li>
 * </ul>
 *
 * <p>Cheap: one pass over a dozen signals and a few short lists. Pure: {@code now} is a
 * parameter and sources are visited in arrival order.
 */
public final class PresenceFusion {
    private PresenceFusion() {}

    /** Fuses with the settings the observations were started with. */
    public static Presence fuse(OwnerObservations obs, Instant now) {
        return fuse(obs, now, obs.settings());
    }

    /**
     * Fuses the observations as of {@code now}.
     *
     * @param s normally the settings the observations were started with; others may be given to ask
     *          "what if" (a different present_within), but the end of ongoing presence was judged
     *          with the observations' own
     */
    public static Presence fuse(OwnerObservations obs, Instant now, PresenceSettings s) {
        Tally t = new Tally(now, s, obs.forgottenInput());
        for (OwnerSignal signal : obs.latest()) {
            if (!(signal instanceof InputSeen) && stale(signal, now, s)) {
                t.notes.add(signal.source() + " silent for " + ago(signal.at(), now) + ": its last report is ignored");
                continue;
            }
            switch (signal) {
                case InputSeen in -> t.input(in);
                case SessionsSeen ss -> t.sessions(ss);
                case LoadSeen l -> t.load = l.at().isAfter(t.load == null ? Instant.MIN : t.load.at()) ? l : t.load;
                case PowerSeen p ->
                    t.power = p.at().isAfter(t.power == null ? Instant.MIN : t.power.at()) ? p : t.power;
                case ExclusiveAppsSeen e -> e.running().forEach(app -> addOnce(t.exclusive, app));
                case GpuSeen g -> t.gpu = Math.max(t.gpu, g.busyFraction());
            }
        }

        // The owner's latest activity: input, a session hint or the end of watching/remote use,
        // whichever is latest, never in the future.
        Instant activity = t.lastInput;
        String activityWhy = t.lastInput == null
                ? null
                : "keyboard/mouse input " + ago(t.lastInput, now) + " ago (" + t.inputSource + ")";
        if (t.hinted != null && (activity == null || t.hinted.isAfter(activity))) {
            activity = t.hinted;
            activityWhy = t.hintedWhy;
        }
        Instant ended = obs.ongoingEndedAt();
        if (ended != null && (activity == null || ended.isAfter(activity))) {
            activity = ended;
            activityWhy = "video, presentation or remote session ended " + ago(ended, now) + " ago";
        }
        if (activity != null && activity.isAfter(now)) activity = now;

        // A session manager's "busy" only stands in for input when no input sensor exists at all.
        boolean busyHintCounts = t.busyHintWhy != null && t.inputSensors == 0;
        boolean ongoing = !t.inhibitors.isEmpty() || !t.remote.isEmpty() || busyHintCounts;

        String why;
        if (!t.inhibitors.isEmpty()) why = "idle inhibitor held by " + t.inhibitors.getFirst();
        else if (!t.remote.isEmpty()) why = "remote session " + t.remote.getFirst();
        else if (busyHintCounts) why = t.busyHintWhy;
        else if (activityWhy != null) why = activityWhy;
        else if (t.inputSensors > 0)
            why = "no keyboard/mouse input since watching began " + ago(obs.watchingSince(), now) + " ago";
        else if (obs.isHeadless()) why = "no input sensor: nobody can be seen at this desk, so it counts as long idle";
        else
            why = "no input sensor: idle time counts from when watching began " + ago(obs.watchingSince(), now)
                    + " ago";

        List<String> reasons = new ArrayList<>();
        reasons.add(why);
        for (String h : t.inhibitors) addOnce(reasons, "idle inhibitor held by " + h);
        for (String r : t.remote) addOnce(reasons, "remote session " + r);
        if (activityWhy != null) addOnce(reasons, activityWhy);
        if (t.hintedWhy != null) addOnce(reasons, t.hintedWhy);
        OwnerDemand demand = t.load == null ? OwnerDemand.UNKNOWN : OwnerDemand.of(t.load);
        reasons.add(demand.describe());
        boolean onBattery = t.power != null && t.power.onBattery();
        Integer battery = t.power == null ? null : t.power.batteryPercent();
        if (onBattery) reasons.add(battery == null ? "on battery" : "on battery (" + battery + "%)");
        if (!t.exclusive.isEmpty()) reasons.add("exclusive app running: " + String.join(", ", t.exclusive));
        if (t.gpu >= 0.05) reasons.add("owner GPU " + Math.round(t.gpu * 100) + "% busy");
        reasons.addAll(t.notes);

        Instant idleSince = activity != null ? activity : obs.watchingSince();
        // A headless machine where nothing was ever seen is idle for good, not since the agent began.
        boolean nobodySeen = obs.isHeadless() && activity == null && !ongoing;
        Instant presentUntil = activity == null ? null : activity.plus(s.presentWithin());
        return new Presence(
                now,
                idleSince,
                nobodySeen,
                ongoing,
                presentUntil,
                t.lastInput,
                why,
                t.remote,
                t.inhibitors,
                t.exclusive,
                demand,
                obs.load(),
                onBattery,
                battery,
                t.gpu,
                reasons);
    }

    /** What one pass over the signals found. */
    private static final class Tally {
        final Instant now;
        final PresenceSettings s;
        final List<String> remote = new ArrayList<>();
        final List<String> inhibitors = new ArrayList<>();
        final List<String> exclusive = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        int inputSensors;
        Instant lastInput;
        String inputSource;
        Instant hinted;
        String hintedWhy;
        String busyHintWhy;
        LoadSeen load;
        PowerSeen power;
        double gpu = -1;

        Tally(Instant now, PresenceSettings s, Instant forgottenInput) {
            this.now = now;
            this.s = s;
            this.lastInput = forgottenInput;
            this.inputSource = forgottenInput == null ? null : "a sensor no longer reporting";
        }

        void input(InputSeen in) {
            inputSensors++;
            if (in.lastInput() != null && (lastInput == null || in.lastInput().isAfter(lastInput))) {
                lastInput = in.lastInput();
                inputSource = in.source();
            }
        }

        void sessions(SessionsSeen report) {
            for (SessionInfo session : report.sessions()) {
                if (s.ignoredUsers().contains(session.user())) continue;
                String name = session.kind() + " of " + session.user();
                if (isRemote(session)) {
                    if (!s.remoteSessions()) continue;
                    if (!session.idleHint()) addOnce(remote, name);
                    else if (session.idleSince() != null)
                        hint(
                                session.idleSince(),
                                "remote session " + name + " idle for " + ago(session.idleSince(), now));
                } else if (session.active() && session.idleSince() != null) {
                    // The hint flips to busy on input and to idle some time after the last input:
                    // either way, its last change is a moment the owner was active (or later).
                    hint(
                            session.idleSince(),
                            "session " + session.id() + " (" + name + ") "
                                    + (session.idleHint()
                                            ? "idle for " + ago(session.idleSince(), now)
                                            : "became busy " + ago(session.idleSince(), now) + " ago")
                                    + " (" + report.source() + " idle hint)");
                    if (!session.idleHint() && busyHintWhy == null) {
                        busyHintWhy = "session " + session.id() + " (" + name + ") in use per " + report.source()
                                + ", no input sensor to say more";
                    }
                }
            }
            for (String holder : report.idleInhibitors()) if (!s.ignoresInhibitor(holder)) addOnce(inhibitors, holder);
        }

        private void hint(Instant at, String why) {
            if (hinted == null || at.isAfter(hinted)) {
                hinted = at;
                hintedWhy = why;
            }
        }
    }

    /**
     * Does this session report alone show someone here without input: an idle inhibitor or an
     * active, non-idle remote session that the settings count. (A busy local session hint is not
     * included: it only counts when no input sensor exists, which one report cannot tell.)
     */
    static boolean showsOngoing(SessionsSeen report, PresenceSettings s) {
        for (String holder : report.idleInhibitors()) if (!s.ignoresInhibitor(holder)) return true;
        if (!s.remoteSessions()) return false;
        for (SessionInfo session : report.sessions()) {
            if (!s.ignoredUsers().contains(session.user()) && isRemote(session) && !session.idleHint()) return true;
        }
        return false;
    }

    private static boolean stale(OwnerSignal signal, Instant now, PresenceSettings s) {
        return s.forgetSilentAfter() != null
                && Duration.between(signal.at(), now).compareTo(s.forgetSilentAfter()) > 0;
    }

    private static boolean isRemote(SessionInfo session) {
        return session.remote()
                || switch (session.kind()) {
                    case "ssh", "rdp", "vnc" -> true;
                    default -> false;
                };
    }

    private static String ago(Instant then, Instant now) {
        return Durations.format(now.isAfter(then) ? Duration.between(then, now) : Duration.ZERO);
    }

    private static void addOnce(List<String> list, String s) {
        if (!list.contains(s)) list.add(s);
    }
}
