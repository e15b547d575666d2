package org.cyphon.agent.desk;

import java.time.Duration;

/**
 * The squeeze before the keeper pauses the desk VM: the balloon target set to {@code memory_min},
 * then a bounded wait for the guest's balloon driver to get there. The target is only a request;
 * a guest paused 13 ms after it gives nothing back, and the memory jobs are offered is what the
 * paused guest really holds.
 */
public final class BalloonSqueeze {
    /** The longest the keeper waits for the guest to give its memory back before pausing it. */
    public static final Duration WAIT = Duration.ofSeconds(15);
    /** The balloon that has not moved for this long has given back what it will. */
    private static final Duration STALL = Duration.ofSeconds(3);

    private static final long TOLERANCE_MIB = 1;

    private BalloonSqueeze() {}

    /**
     * Asks the guest's balloon driver to give memory back down to {@code memory_min}, and waits,
     * bounded, until it has: a guest paused with its memory still in it gives nothing to jobs.
     *
     * @return what came of it, in words
     */
    public static String squeeze(DeskVm vm, DeskVmStatus s, long memoryMinMiB) throws DeskException {
        Long had = s.balloonMiB();
        vm.setBalloon(memoryMinMiB);
        long began = System.nanoTime();
        long movedAt = began;
        Long last = had;
        while (true) {
            Long now = vm.status().balloonMiB();
            long waited = (System.nanoTime() - began) / 1_000_000;
            if (now == null) return "balloon set to " + memoryMinMiB + " MiB (the guest's balloon cannot be read)";
            if (now <= memoryMinMiB + TOLERANCE_MIB) {
                return "squeezed to " + now + " MiB (the guest gave back " + (had == null ? "?" : had - now)
                        + " MiB in " + waited + " ms)";
            }
            if (!now.equals(last)) {
                last = now;
                movedAt = System.nanoTime();
            }
            boolean stalled = System.nanoTime() - movedAt > STALL.toNanos();
            if (stalled || waited > WAIT.toMillis()) {
                return "the guest gave back only " + (had == null ? "?" : had - now) + " MiB (it has " + now
                        + " MiB, asked for " + memoryMinMiB + ") within " + waited + " ms";
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted while squeezing: " + now + " MiB";
            }
        }
    }
}
