package org.cyphon.sim.engine;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.cyphon.core.owner.IdleForecast;
import org.cyphon.core.owner.OwnerObservations;
import org.cyphon.core.owner.OwnerState;
import org.cyphon.core.owner.Presence;
import org.cyphon.core.owner.UsageProfile;
import org.cyphon.core.policy.StartDecision;
import org.cyphon.sim.owners.DeskTrace;

/** One desk during one policy's run: where its owner trace is, what core was told and decided. */
final class Desk {
    final int index;
    final DeskTrace trace;
    final String name;
    final int cores;
    final ZoneId zone;

    /** The next segment of the trace not yet entered. */
    int cursor;
    /** What the owner is doing now (OFF also in gaps and before the trace starts). */
    OwnerState state = OwnerState.OFF;

    double ownerCpus;
    long stateSinceMs;
    boolean stateKnown;

    OwnerObservations observations;
    Presence presence;
    StartDecision start;
    UsageProfile profile;

    private final List<Attempt> held = new ArrayList<>(4);
    /** The attempts on the desk, read-only: they come and go through {@link #attach} and {@link #detach}. */
    final List<Attempt> attempts = Collections.unmodifiableList(held);
    /** The CPUs they hold, kept as they come and go: a placement pass asks every desk, several times. */
    private int heldCpus;

    long lastMs;
    long wakeVersion;
    long scheduledWakeMs = Long.MAX_VALUE;

    /** Unserved owner CPU-seconds during the current presence. */
    double episodeUnserved;

    /** Checkpoint interval chosen from this desk's forecast, cached for the hour it was chosen in. */
    long checkpointHour = Long.MIN_VALUE;

    double checkpointEveryS;

    /** Asleep (suspend_when_idle): on, its owner away, taking no work until woken. */
    boolean asleep;
    /** A Wake-on-LAN wake-up was sent: it takes work again at this instant; -1 when none is on its way. */
    long resumingAtMs = -1;
    /** Bumped on every wake-up sent or cancelled: a resume event of an older version is stale. */
    long resumeVersion;
    /** When the desk last held or was given work, booted or woke: its quiet time counts from here. */
    long quietSinceMs;

    Desk(int index, DeskTrace trace, int defaultCores, UsageProfile profile) {
        this.index = index;
        this.trace = trace;
        this.name = trace.name();
        this.cores = trace.cores() > 0 ? trace.cores() : defaultCores;
        this.zone = trace.zone();
        this.profile = profile;
    }

    boolean on() {
        return state != OwnerState.OFF;
    }

    void attach(Attempt a) {
        held.add(a);
        heldCpus += a.job.cpus;
    }

    void detach(Attempt a) {
        if (held.remove(a)) heldCpus -= a.job.cpus;
    }

    int heldCpus() {
        return heldCpus;
    }

    int freeCpus() {
        return cores - heldCpus();
    }

    boolean open() {
        return on() && !asleep && start != null && start.allowed() && freeCpus() >= 1;
    }

    /** Core's forecast of this desk's idleness from {@code now}: from its profile and its owner's idle time. */
    IdleForecast forecast(Instant now) {
        return IdleForecast.of(profile, now, presence.idleForAt(now), null);
    }
}
