package org.cyphon.core.schedule;

import java.time.Duration;

/**
 * Runtime classes for ranking desks: a job's remaining runtime is rounded <em>up</em> to the next
 * of 5 min, 15 min, 30 min, 1 h, 2 h, 4 h ... 32 days, so placement evaluates each desk's forecast
 * once per class instead of once per job (thousands of jobs, a dozen classes). Rounding up is the
 * cautious side: a desk that fits the longer class fits the job.
 */
final class RuntimeBuckets {
    /** What placement assumes for a job whose runtime is neither given nor learned. */
    static final Duration UNKNOWN_RUNTIME = Duration.ofHours(1);

    private static final long[] UPPER_SECONDS;

    static {
        long[] fixed = {300, 900, 1800};
        int doublings = 10; // 1 h .. 512 h (~21 d), then 32 d
        UPPER_SECONDS = new long[fixed.length + doublings + 1];
        System.arraycopy(fixed, 0, UPPER_SECONDS, 0, fixed.length);
        for (int i = 0; i < doublings; i++) UPPER_SECONDS[fixed.length + i] = 3600L << i;
        UPPER_SECONDS[UPPER_SECONDS.length - 1] = 32L * 86_400;
    }

    static final int COUNT = UPPER_SECONDS.length;

    private RuntimeBuckets() {}

    static int of(Duration remaining) {
        long s = (remaining == null ? UNKNOWN_RUNTIME : remaining).toSeconds();
        for (int i = 0; i < COUNT; i++) if (s <= UPPER_SECONDS[i]) return i;
        return COUNT - 1;
    }

    static long upperSeconds(int bucket) {
        return UPPER_SECONDS[bucket];
    }
}
