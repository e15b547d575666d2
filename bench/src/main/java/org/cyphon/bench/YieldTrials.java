package org.cyphon.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToLongFunction;

/**
 * Case (e): how fast a {@code strict} desk's job stops when the owner touches the keyboard, seen
 * from outside the agent. Each trial waits until the job (the stamper) is making steady progress,
 * waits a random fraction of a second more (so presses do not fall in step with any sampling period
 * of the agent), presses a key, and waits for the stamps to stop and, once the owner has been idle
 * for {@code thaw_after_idle}, to resume. Afterwards the stamps say exactly when progress stopped:
 * the yield is the last stamp before the gap minus the instant the key press left the benchmark.
 */
final class YieldTrials {
    /** A gap in the stamps this long is a stop; the stamper writes every 1 ms and a thaw takes seconds. */
    static final long STOP_GAP_NANOS = 300_000_000L;
    /** Steady progress: no stamp gap above this over the last 300 ms, and a stamp this fresh. */
    private static final long STEADY_GAP_NANOS = 20_000_000L, FRESH_NANOS = 5_000_000L;

    /**
     * One trial, in nanoseconds from the press leaving the benchmark: {@code server}, the X server
     * had processed it; {@code yield}, the job's last stamp before it stopped; {@code stopped}, how long
     * the job then stood still; {@code agentLogged}, the agent's "frozen" log line (its log has
     * millisecond timestamps); {@code stall}, the longest pause in the stamps between press and stop
     * (a job starved of CPU, not frozen, shows here).
     */
    record Trial(long server, long yield, long stopped, long agentLogged, long stall) {}

    /** All trials, and the attempts not counted with why. */
    record Result(List<Trial> trials, int notCounted, List<String> whyNotCounted, long wallNanos) {
        long[] sorted(ToLongFunction<Trial> f) {
            return trials.stream().mapToLong(f).sorted().toArray();
        }
    }

    record Settings(int trials, Duration yieldTimeout, Duration thawTimeout, long seed) {}

    private final YieldStamps stamps;
    private final YieldKeyPress keys;
    private final OwnerJobStates states;
    private final long job;
    private final Settings settings;

    YieldTrials(YieldStamps stamps, YieldKeyPress keys, OwnerJobStates states, long job, Settings settings) {
        this.stamps = stamps;
        this.keys = keys;
        this.states = states;
        this.job = job;
        this.settings = settings;
    }

    Result run() throws IOException, InterruptedException {
        Random jitter = new Random(settings.seed());
        List<Trial> trials = new ArrayList<>();
        List<String> why = new ArrayList<>();
        int notCounted = 0;
        long start = System.nanoTime();
        while (trials.size() < settings.trials()) {
            if (notCounted > Math.max(20, settings.trials())) {
                throw new IOException(
                        notCounted + " attempts did not count (" + String.join("; ", why) + "): is the machine busy?");
            }
            awaitSteadyProgress(settings.thawTimeout());
            Thread.sleep(jitter.nextInt(1000));
            if (System.nanoTime() - stamps.latest() > FRESH_NANOS) {
                notCounted++;
                note(why, "the job paused just before the press");
                continue;
            }
            YieldKeyPress.Press press = keys.press();
            long t0 = press.sentNanos();
            if (!awaitStop(t0)) {
                throw new IOException(
                        "the job did not stop within " + settings.yieldTimeout().toSeconds()
                                + " s of a key press (trial " + (trials.size() + 1) + ")");
            }
            awaitResume();
            String problem = analyse(press, trials);
            if (problem != null) {
                notCounted++;
                note(why, problem);
            }
            if (trials.size() % 10 == 0 && problem == null) {
                System.err.println("bench/run owner: (e) " + trials.size() + " of " + settings.trials() + " trials");
            }
        }
        return new Result(trials, notCounted, why, System.nanoTime() - start);
    }

    /** Reads the trial from the stamps; adds it, or returns why it cannot count. */
    private String analyse(YieldKeyPress.Press press, List<Trial> trials) {
        long t0 = press.sentNanos();
        long[] s = stamps.since(t0 - 1_000_000_000L);
        int before = -1;
        for (int i = 0; i < s.length && s[i] <= t0; i++) before = i;
        if (before < 0 || t0 - s[before] > FRESH_NANOS) return "the job was not progressing at the press";
        long stall = 0;
        for (int i = before; i + 1 < s.length; i++) {
            long gap = s[i + 1] - s[i];
            if (gap >= STOP_GAP_NANOS) {
                // The log's times are whole milliseconds, so a freeze right after the press may read as just before it.
                OwnerJobStates.Change frozen = states.changesIn(List.of(job), t0 - 100_000_000L, s[i + 1]).stream()
                        .filter(c -> c.state().equals("frozen"))
                        .findFirst()
                        .orElse(null);
                if (frozen == null)
                    return "the job stopped " + Figures.millis(gap)
                            + " without the agent freezing it (starved of CPU?)";
                trials.add(new Trial(
                        press.processedNanos() - t0, Math.max(0, s[i] - t0), gap, frozen.nanoTime() - t0, stall));
                return null;
            }
            stall = Math.max(stall, gap);
        }
        return "no stop found in the stamps after the press";
    }

    private static void note(List<String> why, String reason) {
        if (why.size() < 5 && !why.contains(reason)) why.add(reason);
    }

    private void awaitSteadyProgress(Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            long[] s = stamps.since(now - 300_000_000L);
            if (s.length > 0
                    && now - s[s.length - 1] < FRESH_NANOS
                    && s[0] < now - 280_000_000L
                    && maxGap(s) < STEADY_GAP_NANOS) return;
            Thread.sleep(10);
        }
        throw new IOException("the job made no steady progress for " + timeout.toSeconds()
                + " s (frozen, or the cores busy with other work)");
    }

    private boolean awaitStop(long t0) throws InterruptedException {
        long end = t0 + settings.yieldTimeout().toNanos();
        while (System.nanoTime() < end) {
            if (System.nanoTime() - stamps.latest() >= STOP_GAP_NANOS) return true;
            Thread.sleep(1);
        }
        return false;
    }

    private void awaitResume() throws IOException, InterruptedException {
        long stoppedAt = stamps.count();
        long end = System.nanoTime() + settings.thawTimeout().toNanos();
        while (System.nanoTime() < end) {
            if (stamps.count() > stoppedAt) return;
            Thread.sleep(5);
        }
        throw new IOException("the job did not resume within "
                + settings.thawTimeout().toSeconds() + " s of stopping (was it thawed?)");
    }

    private static long maxGap(long[] s) {
        long max = 0;
        for (int i = 0; i + 1 < s.length; i++) max = Math.max(max, s[i + 1] - s[i]);
        return max;
    }
}
