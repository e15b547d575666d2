package org.cyphon.core.schedule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.cyphon.core.machine.Offer;
import org.cyphon.core.owner.IdleForecast;

/**
 * The desks one placement pass may use, ranked per (runtime class, required labels): by the
 * probability that the owner stays away for the class's runtime, then most free CPU, most free
 * memory, name. Each ranking is built on first need, evaluating each desk's forecast once per
 * runtime class, and kept up to date as jobs take capacity.
 *
 * <p>A ranking is a binary heap, not a sorted tree: a pass typically places a few jobs among
 * hundreds of open desks, and a heap is built in O(M) comparisons and yields its best desks in
 * O(log M) each, where a sorted tree costs O(M log M) up front (most of a pass's time in the
 * simulator, bench/run simulate). When a job takes capacity from a desk, the desk goes back in each
 * of its rankings under its new capacity and its old entries are dropped when they surface. A pass
 * costs about O(M · classes + Q log M) rather than Q × M forecast evaluations; the desk it picks
 * is the one a fully sorted ranking would put first.
 *
 * <p>A desk also has job slots ({@code max_jobs} less its live attempts) and free disk: a desk
 * without a free slot is in no ranking, a job with a {@code --disk} request passes over desks with
 * less disk free than it asks, and a {@code --network none} job sees only desks that can give it a
 * network of its own (none of which changes the order of the desks that do fit).
 *
 * <p>Probabilities are compared in whole percent: a difference below 1% is noise in a learned
 * forecast, and rounding lets the emptier desk win such near-ties (spreading guest work keeps
 * each owner's machine as lightly loaded as possible). A desk without a forecast counts as 50%.
 */
final class DeskRanking {
    static final double UNKNOWN = 0.5;
    private static final int MAX_FAILURES_KEPT = 16;

    /** A desk's capacity left in this pass, and its forecast per runtime class. */
    static final class Desk {
        final Offer offer;
        final IdleForecast forecast;
        final int[] percentByClass = new int[RuntimeBuckets.COUNT];
        int freeCpu;
        long freeMemory;
        int freeSlots;
        long freeDisk;
        int freeGpus;
        /** Bumped whenever the capacity changes: entries made before are out of date. */
        int version;

        final List<View> views = new ArrayList<>(2);

        Desk(Offer offer, IdleForecast forecast) {
            this.offer = offer;
            this.forecast = forecast;
            this.freeCpu = offer.freeCpuMillis();
            this.freeMemory = offer.freeMemoryBytes();
            this.freeSlots = offer.freeSlots();
            this.freeDisk = offer.freeDiskBytes();
            this.freeGpus = offer.freeGpus();
            java.util.Arrays.fill(percentByClass, -1);
        }

        int percent(int runtimeClass) {
            int p = percentByClass[runtimeClass];
            if (p < 0) {
                double stay = forecast == null
                        ? UNKNOWN
                        : forecast.stayAwaySeconds(RuntimeBuckets.upperSeconds(runtimeClass));
                p = (int) Math.round(stay * 100);
                percentByClass[runtimeClass] = p;
            }
            return p;
        }

        String name() {
            return offer.machine();
        }
    }

    /** A desk in a ranking, with the capacity it had when it was put there. */
    private record Entry(Desk desk, int percent, int freeCpu, long freeMemory, int version) {
        boolean current() {
            return version == desk.version;
        }
    }

    /**
     * Best first: the highest forecast percent for the class, then most free CPU, most free memory,
     * name (unique in a pass: a total order, so the heap yields desks in exactly one order).
     */
    private static final Comparator<Entry> BEST_FIRST = (a, b) -> {
        int c = Integer.compare(b.percent, a.percent);
        if (c != 0) return c;
        c = Integer.compare(b.freeCpu, a.freeCpu);
        if (c != 0) return c;
        c = Long.compare(b.freeMemory, a.freeMemory);
        if (c != 0) return c;
        return a.desk.name().compareTo(b.desk.name());
    };

    /**
     * {@code ownNetwork}: only desks that can give a job a network namespace of its own; {@code gpus}:
     * only desks with a free GPU, for jobs that need one.
     */
    private record Key(int runtimeClass, Map<String, String> requires, boolean ownNetwork, boolean gpus) {}

    /** One ranking, and the (cpu, memory, gpus) demands already known not to fit anywhere in it. */
    static final class View {
        final int runtimeClass;
        final PriorityQueue<Entry> desks;
        final List<long[]> failed = new ArrayList<>();

        View(int runtimeClass, int size) {
            this.runtimeClass = runtimeClass;
            this.desks = new PriorityQueue<>(Math.max(1, size), BEST_FIRST);
        }

        void add(Desk d) {
            desks.add(new Entry(d, d.percent(runtimeClass), d.freeCpu, d.freeMemory, d.version));
        }
    }

    private final List<Desk> desks = new ArrayList<>();
    private final Map<Key, View> views = new HashMap<>();
    private final Map<String, Desk> byName = new HashMap<>();
    private final List<Entry> setAside = new ArrayList<>();

    DeskRanking(List<Offer> offers, Map<String, IdleForecast> forecasts) {
        for (Offer o : offers) {
            // One offer per machine is the contract; should a caller repeat one, the first counts
            // rather than failing the whole pass (a scheduler that throws places nothing at all).
            if (byName.containsKey(o.machine())) continue;
            Desk d = new Desk(o, forecasts.get(o.machine()));
            byName.put(o.machine(), d);
            if (o.accepting() && o.freeCpuMillis() > 0 && o.freeSlots() > 0) desks.add(d);
        }
    }

    Desk desk(String machine) {
        return byName.get(machine);
    }

    /** The best-ranked desk that carries the labels and has room; null when none. */
    Desk best(PendingJob job) {
        int cls = RuntimeBuckets.of(job.remaining());
        View view =
                views.computeIfAbsent(new Key(cls, job.requires(), job.ownNetwork(), job.gpus() > 0), k -> build(k));
        long cpu = job.cpuMillis(), memory = job.memoryBytes(), disk = job.diskBytes(), gpus = job.gpus();
        // Capacity only shrinks during a pass: a demand that fitted nowhere still fits nowhere.
        for (long[] f : view.failed) if (cpu >= f[0] && memory >= f[1] && disk >= f[2] && gpus >= f[3]) return null;
        // Take entries off the top, in rank order, until a desk has room; put back all still current.
        Desk found = null;
        while (!view.desks.isEmpty()) {
            Entry e = view.desks.poll();
            if (!e.current()) continue;
            setAside.add(e);
            if (e.desk.freeCpu >= cpu
                    && e.desk.freeMemory >= memory
                    && e.desk.freeDisk >= disk
                    && e.desk.freeGpus >= gpus) {
                found = e.desk;
                break;
            }
        }
        view.desks.addAll(setAside);
        setAside.clear();
        if (found == null && view.failed.size() < MAX_FAILURES_KEPT)
            view.failed.add(new long[] {cpu, memory, disk, gpus});
        return found;
    }

    /**
     * Takes the job's capacity (and one job slot) from the desk; it goes back in every ranking it is
     * in, if it has CPU and a slot left.
     */
    void take(Desk d, PendingJob job) {
        d.version++;
        d.freeCpu -= job.cpuMillis();
        d.freeMemory -= job.memoryBytes();
        d.freeDisk -= job.diskBytes();
        d.freeGpus -= job.gpus();
        if (d.freeSlots != Offer.UNLIMITED_SLOTS) d.freeSlots--;
        if (d.freeCpu > 0 && d.freeSlots > 0) {
            for (View v : d.views) v.add(d);
        } else {
            d.views.clear();
        }
    }

    private View build(Key key) {
        View v = new View(key.runtimeClass(), desks.size());
        for (Desk d : desks) {
            if (d.freeCpu > 0
                    && d.freeSlots > 0
                    && (!key.gpus() || d.freeGpus > 0)
                    && d.offer.carries(key.requires())
                    && (!key.ownNetwork() || d.offer.ownNetwork())) {
                v.add(d);
                d.views.add(v);
            }
        }
        return v;
    }
}
