package org.cyphon.coordinator.power;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cyphon.coordinator.schedule.SleepingDeskWaker;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.WakeUpTable;
import org.cyphon.core.machine.Offer;
import org.cyphon.core.owner.IdleForecast;
import org.cyphon.core.power.WakeChoice;
import org.cyphon.core.schedule.PendingJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After each scheduling pass, wakes sleeping desks for the jobs no awake desk took: those that have
 * waited at least {@code power.wake_after} go to core's {@link WakeChoice}, with every sleeping
 * desk that may be woken (a card with Wake-on-LAN on or unknown, and no wake-up unanswered past
 * {@code power.wake_timeout}), those already woken counting as room on its way, and the budget left
 * of {@code power.max_awake} wake-ups in the last hour. Runs on the scheduling thread.
 */
public final class WakeForQueuedWork implements SleepingDeskWaker {
    private static final Logger log = LoggerFactory.getLogger(WakeForQueuedWork.class);

    private final PowerSettings settings;
    private final SleepingDesks desks;
    private final WakeDesk wake;
    private final Clock clock;
    /** When each automatic wake-up of the last hour was sent (ms), oldest first. */
    private final List<Long> sent = new ArrayList<>();
    /** When each waiting job was first seen waiting with a sleeping desk that could take it. */
    private final Map<Long, Instant> waitingSince = new HashMap<>();
    /** Desks whose unanswered wake-up was already logged (until they are heard from). */
    private final Set<String> toldUnanswered = new HashSet<>();

    public WakeForQueuedWork(Database db, Clock clock, PowerSettings settings, SleepingDesks desks, WakeDesk wake) {
        this.settings = settings;
        this.desks = desks;
        this.wake = wake;
        this.clock = clock;
        long hourAgo = clock.millis() - Duration.ofHours(1).toMillis();
        sent.addAll(db.transactions().read(c -> WakeUpTable.automaticSince(c, hourAgo)));
    }

    @Override
    public void afterPass(
            Instant now, List<PendingJob> waiting, List<Offer> asleep, Map<String, IdleForecast> forecasts) {
        List<PendingJob> due = due(now, waiting);
        if (due.isEmpty() || settings.maxAwake() == 0) return;
        List<WakeChoice.SleepingDesk> candidates = new ArrayList<>();
        for (Offer o : asleep) {
            SleepingDesks.Desk d = desks.get(o.machine());
            if (d == null || !d.asleep() || !d.wakeable()) continue;
            if (SleepingDesks.unanswered(d, now, settings.wakeTimeout())) {
                if (toldUnanswered.add(o.machine()))
                    log.warn(
                            "machine {} did not answer its wake-up of {} within {}: not woken for work again until it is heard from",
                            o.machine(),
                            d.wakeSentAt(),
                            settings.wakeTimeout());
                continue;
            }
            toldUnanswered.remove(o.machine());
            candidates.add(new WakeChoice.SleepingDesk(
                    o.machine(),
                    o.freeCpuMillis(),
                    o.freeMemoryBytes(),
                    o.labels(),
                    forecasts.get(o.machine()),
                    d.wakeSentSinceAsleep()));
        }
        if (candidates.isEmpty()) return;
        long nowMs = now.toEpochMilli();
        sent.removeIf(t -> t <= nowMs - Duration.ofHours(1).toMillis());
        List<Instant> window = sent.stream().map(Instant::ofEpochMilli).toList();
        int budget = WakeChoice.budgetLeft(window, now, settings.maxAwake());
        for (WakeChoice.Wake w : WakeChoice.choose(due, candidates, budget)) {
            try {
                if (!wake.forWork(w.machine(), w.forJobs()).isEmpty()) sent.add(clock.millis());
            } catch (RuntimeException e) {
                log.warn("machine {}: could not wake it: {}", w.machine(), e.getMessage());
            }
        }
    }

    /** The waiting jobs that have waited long enough; forgets those no longer waiting. */
    private List<PendingJob> due(Instant now, List<PendingJob> waiting) {
        Set<Long> ids = new HashSet<>();
        List<PendingJob> out = new ArrayList<>();
        for (PendingJob j : waiting) {
            ids.add(j.id());
            Instant since = waitingSince.computeIfAbsent(j.id(), id -> now);
            if (Duration.between(since, now).compareTo(settings.wakeAfter()) >= 0) out.add(j);
        }
        waitingSince.keySet().retainAll(ids);
        return out;
    }
}
