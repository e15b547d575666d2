package org.cyphon.core.power;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cyphon.core.machine.Offer;
import org.cyphon.core.owner.IdleForecast;
import org.cyphon.core.schedule.PendingJob;

/**
 * Which sleeping desks to wake for the queued jobs no awake desk took: each job in the order given
 * (the queue's) goes first to a desk already waking or chosen in this call, if one has room and
 * carries its labels; otherwise, while the budget lasts, a new desk is woken for it: the one whose
 * owner most probably stays away for the job's remaining runtime (1 h when unknown, as placement
 * assumes), compared in whole percent as placement compares desks, then the one with more CPUs,
 * then by name. So the budget ({@code power.max_awake} wake-ups per hour) goes to the desks with the
 * best forecast, and one wake-up serves as many jobs as the desk holds.
 *
 * <p>A desk that cannot be woken (its card has Wake-on-LAN off, or it did not answer the last
 * wake-up) is not passed in at all.
 */
public final class WakeChoice {
    /** What placement assumes for a job whose runtime is neither given nor learned. */
    static final Duration UNKNOWN_RUNTIME = Duration.ofHours(1);

    private WakeChoice() {}

    /**
     * A desk asleep now, as the coordinator knows it.
     *
     * @param forecast its owner's idle forecast (asleep counts as away); null when unknown (50%)
     * @param waking   a wake-up was sent and it has not answered yet: its room is coming, at no cost
     */
    public record SleepingDesk(
            String name,
            int cpuMillis,
            long memoryBytes,
            Map<String, String> labels,
            IdleForecast forecast,
            boolean waking) {
        public SleepingDesk {
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }
    }

    /** One desk to wake, and the jobs it is woken for (ids, in queue order). */
    public record Wake(String machine, List<Long> forJobs) {
        public Wake {
            forJobs = List.copyOf(forJobs);
        }
    }

    /**
     * @param waiting queued jobs no awake desk took, in the order they should be served
     * @param desks   the sleeping desks that can be woken
     * @param budget  how many new wake-ups may be sent now (see {@link #budgetLeft})
     * @return the desks to wake now, in the order they were chosen (never those already waking)
     */
    public static List<Wake> choose(List<PendingJob> waiting, List<SleepingDesk> desks, int budget) {
        Map<String, Room> chosen = new LinkedHashMap<>();
        List<Room> candidates = new ArrayList<>(desks.size());
        for (SleepingDesk d : desks) {
            Room r = new Room(d);
            if (d.waking()) chosen.put(d.name(), r);
            else candidates.add(r);
        }
        int left = Math.max(0, budget);
        for (PendingJob j : waiting) {
            Room home = null;
            for (Room r : chosen.values()) {
                if (r.takes(j) && (home == null || better(r, home, j))) home = r;
            }
            if (home == null && left > 0) {
                for (Room r : candidates) {
                    if (!chosen.containsKey(r.desk.name()) && r.takes(j) && (home == null || better(r, home, j)))
                        home = r;
                }
                if (home != null) {
                    chosen.put(home.desk.name(), home);
                    left--;
                }
            }
            if (home != null) home.take(j);
            else if (left == 0 && noRoomLeft(chosen)) break; // nothing more can be placed or woken
        }
        List<Wake> out = new ArrayList<>();
        for (Room r : chosen.values()) if (!r.desk.waking()) out.add(new Wake(r.desk.name(), r.jobs));
        return out;
    }

    /**
     * How many wake-ups may be sent at {@code now}: {@code maxPerHour} less those sent in the hour
     * before it (a sliding window, so a burst at the top of an hour is not doubled).
     */
    public static int budgetLeft(List<Instant> sent, Instant now, int maxPerHour) {
        Instant from = now.minus(Duration.ofHours(1));
        int recent = 0;
        for (Instant s : sent) if (s.isAfter(from) && !s.isAfter(now)) recent++;
        return Math.max(0, maxPerHour - recent);
    }

    /** When the oldest wake-up in the window leaves it (the budget grows again); null if none counts. */
    public static Instant budgetGrowsAt(List<Instant> sent, Instant now) {
        Instant from = now.minus(Duration.ofHours(1));
        Instant oldest = null;
        for (Instant s : sent)
            if (s.isAfter(from) && !s.isAfter(now) && (oldest == null || s.isBefore(oldest))) oldest = s;
        return oldest == null ? null : oldest.plus(Duration.ofHours(1));
    }

    private static boolean better(Room a, Room b, PendingJob j) {
        int pa = a.percent(j), pb = b.percent(j);
        if (pa != pb) return pa > pb;
        if (a.desk.cpuMillis() != b.desk.cpuMillis()) return a.desk.cpuMillis() > b.desk.cpuMillis();
        return a.desk.name().compareTo(b.desk.name()) < 0;
    }

    private static boolean noRoomLeft(Map<String, Room> chosen) {
        for (Room r : chosen.values()) if (r.freeCpu > 0) return false;
        return true;
    }

    /** A desk's room left in this call. */
    private static final class Room {
        final SleepingDesk desk;
        final Offer labels;
        int freeCpu;
        long freeMemory;
        final List<Long> jobs = new ArrayList<>();

        Room(SleepingDesk desk) {
            this.desk = desk;
            this.labels = new Offer(desk.name(), desk.cpuMillis(), desk.memoryBytes(), true, desk.labels());
            this.freeCpu = desk.cpuMillis();
            this.freeMemory = desk.memoryBytes();
        }

        boolean takes(PendingJob j) {
            return j.cpuMillis() <= freeCpu && j.memoryBytes() <= freeMemory && labels.carries(j.requires());
        }

        void take(PendingJob j) {
            freeCpu -= j.cpuMillis();
            freeMemory -= j.memoryBytes();
            jobs.add(j.id());
        }

        int percent(PendingJob j) {
            if (desk.forecast() == null) return 50;
            Duration r = j.remaining() == null ? UNKNOWN_RUNTIME : j.remaining();
            return (int) Math.round(desk.forecast().stayAway(r) * 100);
        }
    }
}
