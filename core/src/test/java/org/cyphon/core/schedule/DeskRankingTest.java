package org.cyphon.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.cyphon.core.machine.Offer;
import org.cyphon.core.owner.IdleForecast;
import org.cyphon.core.owner.OwnerState;
import org.cyphon.core.owner.PresenceInterval;
import org.cyphon.core.owner.ProfileSettings;
import org.cyphon.core.owner.UsageProfile;
import org.junit.jupiter.api.Test;

/**
 * The ranking picks, job after job, exactly the desk a full scan would: the best by forecast, free
 * CPU, free memory and name among those with room (CPU, memory, a job slot, the disk a job asks
 * for) and a network of the job's own when it asks one, as capacity is taken.
 */
class DeskRankingTest {
    static final Instant NOW = Instant.parse("2026-11-04T10:00:00Z");

    /** Profiles with different histories, so forecasts (and percents) differ between desks. */
    static List<UsageProfile> profiles(SplittableRandom rnd) {
        List<UsageProfile> out = new ArrayList<>();
        for (int p = 0; p < 6; p++) {
            UsageProfile profile = UsageProfile.empty(ProfileSettings.defaults(ZoneOffset.UTC));
            Instant t = NOW.minus(Duration.ofDays(14));
            boolean present = rnd.nextBoolean();
            while (t.isBefore(NOW)) {
                Instant end = t.plusSeconds(600 + rnd.nextInt(6 * 3600));
                if (end.isAfter(NOW)) end = NOW;
                profile = profile.observe(new PresenceInterval(t, end, present ? OwnerState.PRESENT : OwnerState.AWAY));
                present = !present;
                t = end;
            }
            out.add(profile);
        }
        return out;
    }

    @Test
    void eachPickIsTheBestDeskWithRoomAsAFullScanWouldFindIt() {
        SplittableRandom rnd = new SplittableRandom(7);
        List<UsageProfile> profiles = profiles(rnd);
        for (int round = 0; round < 30; round++) {
            List<Offer> offers = new ArrayList<>();
            Map<String, IdleForecast> forecasts = new HashMap<>();
            int m = 5 + rnd.nextInt(120);
            for (int i = 0; i < m; i++) {
                String name = "desk" + rnd.nextInt(1000) + "-" + i;
                offers.add(new Offer(
                        name,
                        1000 * rnd.nextInt(5),
                        1L << (30 + rnd.nextInt(3)),
                        rnd.nextInt(10) > 0,
                        Map.of(),
                        rnd.nextInt(3) == 0 ? Offer.UNLIMITED_SLOTS : rnd.nextInt(4),
                        rnd.nextInt(4) == 0 ? Offer.UNKNOWN_DISK : (long) rnd.nextInt(40) << 30,
                        rnd.nextInt(3) > 0,
                        rnd.nextInt(3)));
                if (rnd.nextInt(5) > 0) {
                    forecasts.put(
                            name,
                            IdleForecast.of(
                                    profiles.get(rnd.nextInt(profiles.size())),
                                    NOW,
                                    Duration.ofMinutes(rnd.nextInt(600)),
                                    null));
                }
            }
            DeskRanking ranking = new DeskRanking(offers, forecasts);
            List<DeskRanking.Desk> all = new ArrayList<>();
            for (Offer o : offers) all.add(ranking.desk(o.machine()));

            for (int j = 0; j < 3 * m; j++) {
                Duration runtime = rnd.nextInt(4) == 0 ? null : Duration.ofMinutes(1 + rnd.nextInt(3000));
                PendingJob job = new PendingJob(
                        j,
                        "u",
                        0,
                        1000 * (1 + rnd.nextInt(4)),
                        1L << (29 + rnd.nextInt(3)),
                        "x",
                        Map.of(),
                        runtime,
                        null,
                        rnd.nextInt(3) == 0 ? (long) rnd.nextInt(20) << 30 : 0,
                        rnd.nextInt(4) == 0,
                        rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(2) : 0);
                DeskRanking.Desk expected = fullScan(all, job);
                DeskRanking.Desk picked = ranking.best(job);
                assertThat(picked == null ? null : picked.name())
                        .as("round %d, job %d", round, j)
                        .isEqualTo(expected == null ? null : expected.name());
                if (picked != null && rnd.nextInt(6) > 0) ranking.take(picked, job);
            }
        }
    }

    /** The reference: every accepting desk with room, compared on its current capacity. */
    static DeskRanking.Desk fullScan(List<DeskRanking.Desk> all, PendingJob job) {
        int cls = RuntimeBuckets.of(job.remaining());
        DeskRanking.Desk best = null;
        for (DeskRanking.Desk d : all) {
            if (d == null || !d.offer.accepting() || d.freeCpu <= 0 || d.freeSlots <= 0) continue;
            if (d.freeCpu < job.cpuMillis()
                    || d.freeMemory < job.memoryBytes()
                    || d.freeDisk < job.diskBytes()
                    || d.freeGpus < job.gpus()) continue;
            if (job.ownNetwork() && !d.offer.ownNetwork()) continue;
            if (best == null || better(d, best, cls)) best = d;
        }
        return best;
    }

    static boolean better(DeskRanking.Desk a, DeskRanking.Desk b, int cls) {
        if (a.percent(cls) != b.percent(cls)) return a.percent(cls) > b.percent(cls);
        if (a.freeCpu != b.freeCpu) return a.freeCpu > b.freeCpu;
        if (a.freeMemory != b.freeMemory) return a.freeMemory > b.freeMemory;
        return a.name().compareTo(b.name()) < 0;
    }
}
