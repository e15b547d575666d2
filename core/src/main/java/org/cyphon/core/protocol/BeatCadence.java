package org.cyphon.core.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * How long the beat loop waits after a heartbeat before the next one.
 *
 * <p>At the coordinator's interval ({@code heartbeatMillis}, 2 s by default) only while the beats
 * have news: an attempt started, ended, froze or thawed since the last beat, or the coordinator
 * asked for a stop or a vacate. While a beat would only repeat the last one — no attempts, or the
 * same attempts in the same states — it waits a third of the lease the last reply showed (never
 * less than the coordinator's interval): every lease is still renewed three times per lease length,
 * so two beats in a row may be lost before anything expires, as the idle agent has always done. A
 * desk running the same jobs for hours then beats every 5 s instead of every 2 s with the default
 * 15 s lease: most of the agent's own work beside the owner is its beats (bench/run owner, case d).
 *
 * <p>What it costs: a stop the coordinator decides (a cancelled job) reaches the agent with the next
 * beat, so up to a third of a lease after the cancel instead of up to {@code heartbeatMillis}. A
 * change on the desk is unaffected: the agent beats at once on those ({@code beatNow}), and the
 * beat after a change comes at the coordinator's interval.
 *
 * <p>Not thread-safe: the beat loop's own.
 */
public final class BeatCadence {
    private long heartbeatMillis;
    private long relaxedMillis;
    private List<Object> lastSaid;

    public BeatCadence(long heartbeatMillis) {
        enrolled(heartbeatMillis);
    }

    /** The coordinator's interval, from the enrollment reply. */
    public void enrolled(long heartbeatMillis) {
        this.heartbeatMillis = heartbeatMillis;
        this.relaxedMillis = Math.max(relaxedMillis, heartbeatMillis);
    }

    /**
     * After a beat that was answered.
     *
     * @param held           the attempts the beat listed, with the states it said
     * @param leaseLeftMillis how long the leases it renewed last (the reply's expiry minus now), or
     *                        a negative number when the reply named none
     * @param asked          the reply asked for a stop or a vacate
     * @return milliseconds until the next beat
     */
    public long afterBeat(List<AttemptStatus> held, long leaseLeftMillis, boolean asked) {
        if (leaseLeftMillis >= 0) relaxedMillis = Math.max(heartbeatMillis, leaseLeftMillis / 3);
        List<Object> said = new ArrayList<>();
        for (AttemptStatus a : held) {
            said.add(a.fencingToken());
            said.add(a.state());
        }
        boolean news = asked || !said.equals(lastSaid);
        lastSaid = said;
        return news && !held.isEmpty() ? heartbeatMillis : relaxedMillis;
    }

    /** After a beat that failed: the next one repeats it, so it must say everything again. */
    public void failed() {
        lastSaid = null;
    }
}
