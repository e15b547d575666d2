package org.cyphon.core.protocol;

import java.time.Duration;

/**
 * The heartbeat load a pool puts on its coordinator, and the lease that keeps it in budget.
 *
 * <p>An agent with no news beats every third of the lease ({@link BeatCadence}), so a pool of
 * {@code n} quiet desks sends about {@code 3n / lease} heartbeats a second, each a write
 * transaction. The default lease (15 s) is right for small pools, where a desk that vanished is
 * noticed within seconds; at thousands of desks it means thousands of writes a second, which on a
 * small server queue everything else behind them (bench/run scale: 9,500 desks at 15 s saturated a
 * 2-core coordinator). A longer lease trades how soon a dead desk's jobs are requeued for a
 * coordinator that stays responsive, as HTCondor's and BOINC's much longer update intervals do.
 */
public final class BeatLoad {
    /**
     * Idle heartbeats a second a coordinator on a small server (2 cores) answers without making
     * anything else wait: about a tenth of what saturated one in bench/run scale.
     */
    public static final int BUDGET_PER_SECOND = 250;

    private BeatLoad() {}

    /** Heartbeats a second from {@code desks} desks with nothing to report, at this lease. */
    public static double quietBeatsPerSecond(int desks, Duration lease) {
        if (desks < 0) throw new IllegalArgumentException("desks must be >= 0, got " + desks);
        if (lease.toMillis() <= 0) throw new IllegalArgumentException("lease must be positive, got " + lease);
        return desks * 3000.0 / lease.toMillis();
    }

    /**
     * The shortest lease, in whole tens of seconds, at which {@code desks} quiet desks stay within
     * {@code budget} heartbeats a second; never below {@code floor}.
     */
    public static Duration leaseFor(int desks, int budget, Duration floor) {
        if (budget <= 0) throw new IllegalArgumentException("budget must be positive, got " + budget);
        long seconds = (long) Math.ceil(3.0 * desks / budget);
        seconds = (seconds + 9) / 10 * 10;
        Duration needed = Duration.ofSeconds(seconds);
        return needed.compareTo(floor) > 0 ? needed : floor;
    }
}
