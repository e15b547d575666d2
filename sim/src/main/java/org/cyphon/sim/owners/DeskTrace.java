package org.cyphon.sim.owners;

import java.time.ZoneId;
import org.cyphon.core.owner.OwnerState;

/**
 * One desk's owner over the replayed time: consecutive segments, each in one {@link OwnerState}
 * with the owner's CPU demand during it. Times are milliseconds from the trace's origin. Gaps
 * between segments mean nothing is known: the engine treats them as {@code off}.
 *
 * @param cores        the desk's cores; 0 means the simulation's {@code --cores}
 * @param ownerCpus    the owner's demand in CPUs during each segment; NaN means the stated default
 *                     while present (and nothing while away)
 */
public record DeskTrace(
        String name, int cores, ZoneId zone, long[] startMs, long[] endMs, OwnerState[] state, float[] ownerCpus) {
    public DeskTrace {
        if (startMs.length != endMs.length || startMs.length != state.length || state.length != ownerCpus.length) {
            throw new IllegalArgumentException("segment arrays differ in length");
        }
    }

    public int segments() {
        return startMs.length;
    }

    /** The end of the last segment; 0 when there is none. */
    public long lastEndMs() {
        return startMs.length == 0 ? 0 : endMs[endMs.length - 1];
    }
}
