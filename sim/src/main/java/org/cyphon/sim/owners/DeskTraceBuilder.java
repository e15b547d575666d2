package org.cyphon.sim.owners;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.cyphon.core.owner.OwnerState;
import org.cyphon.sim.InputError;

/**
 * Collects one desk's intervals as a reader finds them, then sorts them and rejects overlaps
 * (naming where each overlapping interval came from), and merges adjacent equal ones.
 */
final class DeskTraceBuilder {
    private record Piece(long start, long end, OwnerState state, float cpus, String where) {}

    private final String name;
    private int cores;
    private ZoneId zone;
    private final List<Piece> pieces = new ArrayList<>();

    DeskTraceBuilder(String name) {
        this.name = name;
    }

    DeskTraceBuilder cores(int cores) {
        this.cores = cores;
        return this;
    }

    DeskTraceBuilder zone(ZoneId zone) {
        this.zone = zone;
        return this;
    }

    /** @param where "file:line", for the error if this interval overlaps another */
    void add(long startMs, long endMs, OwnerState state, float ownerCpus, String where) {
        if (endMs > startMs) pieces.add(new Piece(startMs, endMs, state, ownerCpus, where));
    }

    boolean isEmpty() {
        return pieces.isEmpty();
    }

    DeskTrace build(ZoneId defaultZone) {
        pieces.sort(Comparator.comparingLong(Piece::start).thenComparingLong(Piece::end));
        List<Piece> merged = new ArrayList<>(pieces.size());
        for (Piece p : pieces) {
            if (!merged.isEmpty()) {
                Piece last = merged.getLast();
                if (p.start < last.end) {
                    throw new InputError(p.where + ": machine " + name + ": interval [" + p.start / 1000 + ", "
                            + p.end / 1000 + ") overlaps [" + last.start / 1000 + ", " + last.end / 1000 + ") from "
                            + last.where);
                }
                if (p.start == last.end && p.state == last.state && Float.compare(p.cpus, last.cpus) == 0) {
                    merged.set(merged.size() - 1, new Piece(last.start, p.end, last.state, last.cpus, last.where));
                    continue;
                }
            }
            merged.add(p);
        }
        int n = merged.size();
        long[] s = new long[n];
        long[] e = new long[n];
        OwnerState[] st = new OwnerState[n];
        float[] c = new float[n];
        for (int i = 0; i < n; i++) {
            Piece p = merged.get(i);
            s[i] = p.start;
            e[i] = p.end;
            st[i] = p.state;
            c[i] = p.cpus;
        }
        return new DeskTrace(name, cores, zone != null ? zone : defaultZone, s, e, st, c);
    }
}
