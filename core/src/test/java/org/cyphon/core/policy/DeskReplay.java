package org.cyphon.core.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.core.owner.OwnerObservations;
import org.cyphon.core.owner.OwnerSignal;
import org.cyphon.core.owner.Presence;
import org.cyphon.core.owner.PresenceFusion;

/**
 * Replays a {@link DeskScript} through fusion and a policy exactly as the agent's policy loop does:
 * fold each signal in, fuse, decide, apply through core's {@link AttemptLifecycle} (as the agent and
 * the simulator do), and wake at the earliest {@code reconsiderAt} — with no polling interval. One attempt at a time: when none runs, it asks whether work may start and
 * starts one at once. The log holds every change, "12:30:15 FREEZE"; every decision taken is kept
 * for properties about {@code reconsiderAt}.
 */
final class DeskReplay {
    /** A decision taken during the replay, with the input it was taken on. */
    record Taken(PolicyInput input, Decision decision, boolean changedState) {}

    /** A start decision taken during the replay. */
    record AskedToStart(Instant now, Presence presence, StartDecision decision) {}

    private final Policy policy;
    private final DeskScript script;
    private final MachineFacts machine;
    private boolean checkpointable = true;
    private boolean usesGpu;
    private Duration jobLength;
    private Duration vacateTakes;
    private Instant claimFrom;
    private Instant claimUntil;

    private final List<String> log = new ArrayList<>();
    private final List<Taken> taken = new ArrayList<>();
    private final List<AskedToStart> asked = new ArrayList<>();

    private Instant lastStep;

    /** The machine's facts at {@code t}: the owner's claim from the moment they make it. */
    private MachineFacts machineAt(Instant t) {
        if (claimFrom == null || t.isBefore(claimFrom)) return machine;
        return new MachineFacts(machine.cores(), machine.jobCpus(), machine.zone(), claimUntil);
    }

    /** The one attempt on the desk, as core's lifecycle keeps it; null when none runs. */
    private AttemptLifecycle attempt;

    DeskReplay(Policy policy, DeskScript script) {
        this.policy = policy;
        this.script = script;
        this.machine = new MachineFacts(script.cores(), 1, ZoneOffset.UTC);
    }

    DeskReplay notCheckpointable() {
        checkpointable = false;
        return this;
    }

    DeskReplay usingGpu() {
        usesGpu = true;
        return this;
    }

    /** The job needs this much run time in total, and says so (remaining time is known). */
    DeskReplay jobLength(Duration d) {
        jobLength = d;
        return this;
    }

    /** Once asked to checkpoint and leave, the job exits this much later (default: never, so it is killed). */
    DeskReplay vacateTakes(Duration d) {
        vacateTakes = d;
        return this;
    }

    /** The owner asks for the whole machine at {@code from} until {@code until} ({@code cyphon claim}). */
    DeskReplay claim(String from, String until) {
        claimFrom = DeskScript.at(from);
        claimUntil = DeskScript.at(until);
        return this;
    }

    /** Replays from {@code from} to {@code to} (see {@link DeskScript#at}); returns the log. */
    List<String> run(String from, String to) {
        Instant start = DeskScript.at(from);
        Instant end = DeskScript.at(to);
        List<OwnerSignal> signals = script.signals(start, end);
        OwnerObservations obs =
                OwnerObservations.startingAt(start, policy.settings().presence());
        int next = 0;
        Instant wake = null;
        lastStep = start.minusNanos(1);
        while (true) {
            Instant signalAt = next < signals.size() ? signals.get(next).at() : null;
            Instant t = earliest(signalAt, wake);
            // The owner's claim is their action: the agent decides again the moment they ask.
            if (claimFrom != null && claimFrom.isAfter(lastStep)) t = earliest(t, claimFrom);
            if (t == null || t.isAfter(end)) break;
            while (next < signals.size() && signals.get(next).at().equals(t)) obs = obs.with(signals.get(next++));
            wake = step(t, PresenceFusion.fuse(obs, t));
            lastStep = t;
        }
        return log;
    }

    List<Taken> taken() {
        return taken;
    }

    List<AskedToStart> asked() {
        return asked;
    }

    MachineFacts machine() {
        return machine;
    }

    private Instant step(Instant t, Presence presence) {
        Instant wake = null;
        for (int round = 0; round < 4; round++) {
            if (attempt == null) {
                StartDecision sd = policy.mayStart(t, presence, machineAt(t));
                asked.add(new AskedToStart(t, presence, sd));
                wake = sd.reconsiderAt();
                if (!sd.allowed()) return wake;
                note(t, "START");
                attempt = AttemptLifecycle.started(t, checkpointable, usesGpu);
                continue;
            }
            if (jobLength != null && attempt.ranFor(t).compareTo(jobLength) >= 0) {
                note(t, "DONE");
                attempt = null;
                continue;
            }
            if (attempt.state() == AttemptState.VACATING
                    && vacateTakes != null
                    && !t.isBefore(attempt.since().plus(vacateTakes))) {
                note(t, "LEFT");
                attempt = null;
                continue;
            }
            PolicyInput in = new PolicyInput(t, presence, machineAt(t), attempt.factsFor(t, jobLength));
            Decision d = policy.decide(in);
            AttemptLifecycle.Transition applied = attempt.apply(d, t);
            taken.add(new Taken(in, d, applied.changed()));
            wake = d.reconsiderAt();
            if (attempt.running() && jobLength != null)
                wake = earliest(wake, t.plus(jobLength.minus(attempt.ranFor(t))));
            if (attempt.state() == AttemptState.VACATING && vacateTakes != null)
                wake = earliest(wake, attempt.since().plus(vacateTakes));
            if (!applied.changed()) return wake;
            note(t, d.action().name());
            // Killed (by KILL, or asked to leave without a checkpoint to write): it is gone.
            attempt = applied.to().killed() ? null : applied.to();
        }
        return wake;
    }

    private void note(Instant t, String what) {
        LocalDateTime local = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
        String day = local.toLocalDate().equals(DeskScript.MONDAY)
                ? ""
                : local.getDayOfWeek().name().substring(0, 3).toLowerCase(java.util.Locale.ROOT) + " ";
        log.add(day + local.toLocalTime() + (local.getSecond() == 0 ? ":00" : "") + " " + what);
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.isBefore(b) ? a : b;
    }
}
