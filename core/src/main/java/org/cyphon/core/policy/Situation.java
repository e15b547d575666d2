package org.cyphon.core.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.core.owner.Presence;
import org.cyphon.core.text.Durations;

/**
 * The facts every policy reads, computed once per decision: presence, contention, the window and
 * the hard stops that no policy (preset or custom) may override unless its settings turn them off.
 */
final class Situation {
    final PolicySettings settings;
    final Instant now;
    final Presence presence;
    final MachineFacts machine;
    final ZoneId zone;
    final boolean windowOpen;
    final OwnerContention contention;

    private Situation(
            PolicySettings settings, Instant now, Presence presence, MachineFacts machine, OwnerContention contention) {
        this.settings = settings;
        this.now = now;
        this.presence = presence.at(now);
        this.machine = machine;
        this.zone = settings.timeZone() != null ? settings.timeZone() : machine.zone();
        this.windowOpen = settings.window() == null || settings.window().contains(now, zone);
        this.contention = contention != null ? contention : OwnerContention.of(settings, this.presence, machine);
    }

    static Situation of(PolicySettings s, Instant now, Presence p, MachineFacts m) {
        return new Situation(s, now, p, m, null);
    }

    /**
     * The same facts at a later moment with no new signal. The load history is unchanged, so the
     * contention runs are reused: probing many instants for the next change stays cheap.
     */
    Situation at(Instant later) {
        return later.equals(now) ? this : new Situation(settings, later, presence, machine, contention);
    }

    Duration idle() {
        return presence.idleFor();
    }

    /** "for 12m30s", or "for good" where nobody has ever been seen. */
    String idleForText() {
        return presence.nobodySeen() ? "for good" : "for " + ThresholdPolicy.fmt(idle());
    }

    boolean present() {
        return presence.present();
    }

    /** The owner's demand has crossed a limit for at least {@code contend_for}. */
    boolean contended() {
        return contention.over() && contention.overFor(now).compareTo(settings.contendFor()) >= 0;
    }

    /** The owner uses no more than {@code start_owner_cpu_max} (true when off or unknown). */
    boolean startCpuOk() {
        if (settings.startOwnerCpuMax().off() || !presence.demand().known()) return true;
        return presence.demand().ownerCpus() <= settings.startOwnerCpuMax().cpus(machine.cores(), machine.jobCpus());
    }

    String startCpuWhy() {
        return "owner uses " + OwnerContention.num(presence.demand().ownerCpus()) + " CPUs, more than "
                + settings.startOwnerCpuMax() + " (start_owner_cpu_max)";
    }

    /** Why no work may run on this desk at all now (window, battery, exclusive app); empty when none. */
    List<String> stops() {
        List<String> stops = new ArrayList<>(1);
        // The owner's own word beats every setting: they asked for the whole machine.
        if (machine.claimedAt(now))
            stops.add("the owner asked for the whole machine until " + machine.ownerClaimUntil() + " (cyphon claim)");
        if (!windowOpen) {
            List<Instant> next = settings.window().nextChanges(now, zone, 1);
            stops.add("outside the window '" + settings.window() + "'"
                    + (next.isEmpty()
                            ? ""
                            : "; it opens in " + Durations.format(Duration.between(now, next.getFirst()))));
        }
        if (presence.onBattery() && !settings.runOnBattery()) {
            stops.add("on battery" + (presence.batteryPercent() == null ? "" : " (" + presence.batteryPercent() + "%)")
                    + " and run_on_battery = false");
        }
        if (presence.handsOff() && settings.exclusiveAppsFreeze()) {
            stops.add("exclusive app running: " + String.join(", ", presence.exclusiveApps()) + ": hands off");
        }
        return stops;
    }

    /** Why GPU work may not run now; null when it may. */
    String gpuStop() {
        if (settings.gpuFreezeWhenPresent() && present())
            return "GPU work waits while the owner is present (" + presence.activity() + ")";
        Double max = settings.gpuBusyMax();
        if (max != null && presence.gpuBusy() >= max) {
            return "owner GPU " + Math.round(presence.gpuBusy() * 100) + "% busy, at or above " + Math.round(max * 100)
                    + "% (gpu_busy_max)";
        }
        return null;
    }

    /** Stops for one attempt: the machine's, plus the GPU's when it uses the GPU. */
    List<String> stops(boolean usesGpu) {
        List<String> stops = stops();
        if (usesGpu) {
            String gpu = gpuStop();
            if (gpu != null) stops.add(gpu);
        }
        return stops;
    }

    /**
     * Instants at which, with no new signal, something these facts depend on flips: presence
     * lapsing, idle time reaching the policy's thresholds, contention or calm lasting long enough,
     * the window opening or closing. A superset: {@link NextChange} keeps the first that matters.
     */
    List<Instant> candidates() {
        List<Instant> c = new ArrayList<>();
        if (presence.presentUntil() != null) c.add(presence.presentUntil());
        if (!presence.ongoing() && !presence.nobodySeen()) {
            c.add(presence.idleSince().plus(settings.startAfterIdle()));
            c.add(presence.idleSince().plus(settings.thawAfterIdle()));
        }
        if (contention.overSince() != null) c.add(contention.overSince().plus(settings.contendFor()));
        if (contention.calmSince() != null) c.add(contention.calmSince().plus(settings.calmFor()));
        if (settings.window() != null) c.addAll(settings.window().nextChanges(now, zone, 2));
        if (machine.claimedAt(now)) c.add(machine.ownerClaimUntil());
        return c;
    }
}
