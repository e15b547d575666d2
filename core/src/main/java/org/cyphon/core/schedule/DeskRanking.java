package org.cyphon.core.schedule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.cyphon.core.machine.Offer;
import org.cyphon.core.owner.IdleForecast;

/**
 * The desks one placement pass may use, ranked per (runtime class, required labels): by the
 * probability that the owner stays away for the class's runtime, then most free CPU, most free
 * memory, name. Each ranking is built on first need, evaluating each desk's forecast once per
 * runtime class, and kept up to date as jobs take capacity, so a pass costs about
 * O((Q + M · classes) log M) rather than Q × M forecast evaluations.
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
        final List<View> views = new ArrayList<>(2);

        Desk(Offer offer, IdleForecast forecast) {
            this.offer = offer;
            this.forecast = forecast;
            this.freeCpu = offer.freeCpuMillis();
            this.freeMemory = offer.freeMemoryBytes();
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

    private record Key(int runtimeClass, Map<String, String> requires) {}

    /** One ranking, and the (cpu, memory) demands already known not to fit anywhere in it. */
    static final class View {
        final TreeSet<Desk> desks;
        final List<long[]> failed = new ArrayList<>();

        View(int runtimeClass) {
            Comparator<Desk> byForecast =
                    Comparator.comparingInt((Desk d) -> d.percent(runtimeClass)).reversed();
            desks = new TreeSet<>(byForecast
                    .thenComparing(
                            Comparator.comparingInt((Desk d) -> d.freeCpu).reversed())
                    .thenComparing(
                            Comparator.comparingLong((Desk d) -> d.freeMemory).reversed())
                    .thenComparing(Desk::name));
        }
    }

    private final List<Desk> desks = new ArrayList<>();
    private final Map<Key, View> views = new HashMap<>();
    private final Map<String, Desk> byName = new HashMap<>();

    DeskRanking(List<Offer> offers, Map<String, IdleForecast> forecasts) {
        for (Offer o : offers) {
            // One offer per machine is the contract; should a caller repeat one, the first counts
            // rather than failing the whole pass (a scheduler that throws places nothing at all).
            if (byName.containsKey(o.machine())) continue;
            Desk d = new Desk(o, forecasts.get(o.machine()));
            byName.put(o.machine(), d);
            if (o.accepting() && o.freeCpuMillis() > 0) desks.add(d);
        }
    }

    Desk desk(String machine) {
        return byName.get(machine);
    }

    /** The best-ranked desk that carries the labels and has room; null when none. */
    Desk best(PendingJob job) {
        int cls = RuntimeBuckets.of(job.remaining());
        View view = views.computeIfAbsent(new Key(cls, job.requires()), k -> build(k));
        long cpu = job.cpuMillis(), memory = job.memoryBytes();
        // Capacity only shrinks during a pass: a demand that fitted nowhere still fits nowhere.
        for (long[] f : view.failed) if (cpu >= f[0] && memory >= f[1]) return null;
        for (Desk d : view.desks) {
            if (d.freeCpu >= cpu && d.freeMemory >= memory) return d;
        }
        if (view.failed.size() < MAX_FAILURES_KEPT) view.failed.add(new long[] {cpu, memory});
        return null;
    }

    /** Takes the job's capacity from the desk, keeping every ranking it appears in ordered. */
    void take(Desk d, int cpuMillis, long memoryBytes) {
        for (View v : d.views) v.desks.remove(d);
        d.freeCpu -= cpuMillis;
        d.freeMemory -= memoryBytes;
        if (d.freeCpu > 0) {
            for (View v : d.views) v.desks.add(d);
        } else {
            d.views.clear();
        }
    }

    private View build(Key key) {
        View v = new View(key.runtimeClass());
        for (Desk d : desks) {
            if (d.freeCpu > 0 && d.offer.carries(key.requires())) {
                v.desks.add(d);
                d.views.add(v);
            }
        }
        return v;
    }
}
