package org.cyphon.coordinator.profile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.core.owner.Absence;
import org.cyphon.core.owner.IdleForecast;
import org.cyphon.core.owner.OwnerState;
import org.cyphon.core.owner.PresenceInterval;
import org.cyphon.core.owner.UsageProfile;
import org.cyphon.core.protocol.DeskView;

/**
 * One desk's track record in memory: the learned profile, the stretch of presence still open, the
 * declared absence, and the cached forecast. Turns the stream of heartbeats into
 * {@link PresenceInterval}s: {@code present} and {@code hands_off} are PRESENT, {@code away} is AWAY
 * from {@code now - idleSeconds} (so an absence begins when the owner really left, not when the
 * agent said so), and a silence longer than the lease is OFF — unless the desk said it was going to
 * sleep: a sleeping desk's owner is away (one who came back would wake it), so its stretch of AWAY
 * goes on through the sleep and ends when it is heard from again (issue 14).
 *
 * <p>All methods are synchronized: heartbeats of one machine, the scheduler's forecasts and the
 * API's views meet here.
 */
final class DeskRecord {
    /** How often the open stretch is saved while nothing changes (a crash loses at most this much). */
    static final Duration SAVE_EVERY = Duration.ofMinutes(10);
    /** A forecast is reused this long (placement asks for every desk, often). */
    private static final Duration FORECAST_FRESH = Duration.ofMinutes(1);
    /** When the owner is expected back is dearer to compute (a search over the horizon): reused longer. */
    private static final Duration RETURN_FRESH = Duration.ofMinutes(10);

    final String machine;
    private int cpuMillis;
    private String owner;
    private UsageProfile profile;
    private OwnerState open;
    private Instant openSince;
    private Instant lastBeat;
    private Instant lastSaved;
    private Absence declared;
    private String declaredReason;
    /** When its agent said it went to sleep; null while awake. */
    private Instant asleepSince;

    private IdleForecast forecast;
    private Instant forecastAt;
    private Instant ownerExpectedBy;
    private Instant returnAt;

    DeskRecord(
            String machine,
            int cpuMillis,
            String owner,
            UsageProfile profile,
            OwnerState open,
            Instant openSince,
            Instant lastBeat) {
        this.machine = machine;
        this.cpuMillis = cpuMillis;
        this.owner = owner;
        this.profile = profile;
        this.open = open;
        this.openSince = openSince;
        this.lastBeat = lastBeat;
        this.lastSaved = lastBeat;
    }

    /** What a heartbeat changed, to persist: the intervals it closed and the state to save (null: nothing to write). */
    record Change(List<PresenceInterval> closed, Save save) {}

    /** The row of {@code usage_profiles}. */
    record Save(UsageProfile.Snapshot snapshot, OwnerState open, Instant openSince, Instant lastBeat) {}

    /**
     * Learns from one heartbeat at {@code now}. A heartbeat without a desk view (an older agent)
     * teaches nothing, but still counts as the machine being on.
     */
    synchronized Change beat(DeskView desk, Instant now, Duration lease) {
        List<PresenceInterval> closed = new ArrayList<>();
        // A sleeping desk is silent, not off: its owner's absence goes on.
        boolean silent = asleepSince == null
                && lastBeat != null
                && Duration.between(lastBeat, now).compareTo(lease) > 0;
        boolean woke = asleepSince != null;
        asleepSince = null;
        Instant offSince = null;
        if (silent && open != null) {
            // The agent fell silent: what was open ended with its last beat; off from then.
            if (lastBeat.isAfter(openSince)) closed.add(new PresenceInterval(openSince, lastBeat, open));
            offSince = lastBeat;
            open = null;
            openSince = null;
        }
        OwnerState seen = desk == null ? null : "away".equals(desk.owner()) ? OwnerState.AWAY : OwnerState.PRESENT;
        boolean opened = seen != null && seen != open;
        if (opened) {
            Instant start = now;
            if (seen == OwnerState.AWAY) {
                // The owner left idleSeconds ago, but not before what we know began. Where nobody has
                // ever been seen (headless), nobody left at any time we know of: the absence starts at this beat.
                Instant left = now.minusSeconds(Math.max(0, desk.idleSeconds()));
                Instant floor =
                        offSince != null ? offSince : openSince != null ? openSince : desk.nobodySeen() ? now : left;
                start = left.isBefore(floor) ? floor : left;
            }
            if (open != null && start.isAfter(openSince)) closed.add(new PresenceInterval(openSince, start, open));
            if (offSince != null && start.isAfter(offSince))
                closed.add(new PresenceInterval(offSince, start, OwnerState.OFF));
            open = seen;
            openSince = start;
        } else if (seen == null && offSince != null) {
            // Back on but saying nothing about its owner: the off stretch ends here all the same.
            if (now.isAfter(offSince)) closed.add(new PresenceInterval(offSince, now, OwnerState.OFF));
        }
        lastBeat = now;
        for (PresenceInterval i : closed) profile = profile.observe(i);
        boolean changed = opened || !closed.isEmpty() || woke;
        if (changed) {
            forecastAt = null;
            returnAt = null;
        }
        boolean due = lastSaved == null || Duration.between(lastSaved, now).compareTo(SAVE_EVERY) >= 0;
        if (!changed && !due) return new Change(closed, null);
        lastSaved = now;
        return new Change(closed, save());
    }

    /** What to write so a restart continues from here. */
    synchronized Save save() {
        return new Save(profile.snapshot(), open, openSince, lastBeat);
    }

    synchronized UsageProfile profile() {
        return profile;
    }

    synchronized String owner() {
        return owner;
    }

    synchronized int cpuMillis() {
        return cpuMillis;
    }

    synchronized void enrolled(int cpuMillis, String owner) {
        this.cpuMillis = cpuMillis;
        if (owner != null) this.owner = owner;
    }

    synchronized void owner(String owner) {
        this.owner = owner;
    }

    /**
     * The desk went to sleep at {@code now} (after a last {@link #beat} with its owner's presence):
     * until it is heard from, the stretch open now goes on, and its forecast with it.
     */
    synchronized void sleep(Instant now) {
        asleepSince = now;
        forecastAt = null;
        returnAt = null;
    }

    /** The state the desk is in at {@code now}: OFF once its agent is silent for a lease (not asleep); null if never seen. */
    synchronized OwnerState stateAt(Instant now, Duration lease) {
        if (lastBeat == null) return null;
        if (asleepSince == null && Duration.between(lastBeat, now).compareTo(lease) > 0) return OwnerState.OFF;
        return open;
    }

    /** Since when the desk is in {@link #stateAt}. */
    synchronized Instant stateSinceAt(Instant now, Duration lease) {
        if (lastBeat == null) return null;
        if (asleepSince == null && Duration.between(lastBeat, now).compareTo(lease) > 0) return lastBeat;
        return openSince;
    }

    /** The stretch still open, for the history export: up to the last beat; null when none. */
    synchronized PresenceInterval openInterval() {
        if (open == null || openSince == null || lastBeat == null || !lastBeat.isAfter(openSince)) return null;
        return new PresenceInterval(openSince, lastBeat, open);
    }

    synchronized void declare(Absence a, String reason) {
        declared = a;
        declaredReason = reason;
        forecastAt = null;
        returnAt = null;
    }

    synchronized void back() {
        declare(null, null);
    }

    synchronized String declaredReason() {
        return declaredReason;
    }

    /**
     * The absence in force or ahead at {@code now}: a declared one that has not ended; else a
     * detected one, when the owner has been away longer than the profile's threshold.
     */
    synchronized Absence absenceAt(Instant now, Duration lease) {
        if (declared != null && now.isBefore(declared.until())) return declared;
        if (stateAt(now, lease) == OwnerState.AWAY
                && Duration.between(openSince, now).compareTo(profile.settings().absenceAfter()) >= 0) {
            return new Absence(openSince, null, Absence.Kind.DETECTED, null);
        }
        return null;
    }

    /** How long the owner has been away at {@code now}; zero when present; null when off or never seen. */
    synchronized Duration idleFor(Instant now, Duration lease) {
        OwnerState s = stateAt(now, lease);
        if (s == null || s == OwnerState.OFF) return null;
        return s == OwnerState.AWAY ? Duration.between(openSince, now) : Duration.ZERO;
    }

    /** The forecast at about {@code now} (reused for a minute); null while the desk is off or never seen. */
    synchronized IdleForecast forecastAt(Instant now, Duration lease) {
        Duration idle = idleFor(now, lease);
        if (idle == null) return null;
        if (forecast == null
                || forecastAt == null
                || Duration.between(forecastAt, now).compareTo(FORECAST_FRESH) >= 0
                || now.isBefore(forecastAt)) {
            Absence a = absenceAt(now, lease);
            forecast = IdleForecast.of(profile, now, idle, a != null && a.covers(now) ? a : null);
            forecastAt = now;
        }
        return forecast;
    }

    /** When the owner is likely back (P(still away) falls to 0.5); null unless away now. Reused for 10 minutes. */
    synchronized Instant ownerExpectedBy(Instant now, Duration lease) {
        if (stateAt(now, lease) != OwnerState.AWAY) return null;
        if (returnAt == null
                || Duration.between(returnAt, now).compareTo(RETURN_FRESH) >= 0
                || now.isBefore(returnAt)) {
            IdleForecast f = forecastAt(now, lease);
            ownerExpectedBy = now.plus(f.horizonAt(0.5));
            // The forecast looks only so far ahead (core caps its horizon); a declared vacation may be longer.
            Instant until = awayUntil(now);
            if (until != null && until.isAfter(ownerExpectedBy)) ownerExpectedBy = until;
            returnAt = now;
        }
        return ownerExpectedBy;
    }

    /** The end of the declared absence in force at {@code now}; null when none. */
    synchronized Instant awayUntil(Instant now) {
        return declared != null && declared.covers(now) ? declared.until() : null;
    }
}
