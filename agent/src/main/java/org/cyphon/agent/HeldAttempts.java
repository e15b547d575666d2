package org.cyphon.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import org.cyphon.agent.sandbox.RunningJob;
import org.cyphon.core.protocol.AttemptStatus;

/**
 * The attempts this agent holds, by fencing token, from the moment they are assigned until the
 * coordinator has taken their reports: an attempt stays in every heartbeat (keeping its lease)
 * until then, so a finished job is never requeued because its report was late. Thread-safe.
 */
final class HeldAttempts {
    private final Map<Long, LocalAttempt> byToken = new ConcurrentHashMap<>();
    /** CPU-seconds of ended attempts, so the owner-load sensor's counter never goes backwards. */
    private final DoubleAdder endedJobCpu = new DoubleAdder();
    /** Told when an attempt is added or forgotten (the desk's sleep counts its quiet time from then). */
    private volatile Runnable onChange = () -> {};

    void onChange(Runnable r) {
        onChange = r;
    }
    /** Tokens of the latest attempts forgotten, oldest first ({@link #heldOrDone}). */
    private final java.util.LinkedHashSet<Long> done = new java.util.LinkedHashSet<>();

    private static final int DONE_REMEMBERED = 10_000;

    /** A live view, for the owner-first loop. */
    Collection<LocalAttempt> all() {
        return byToken.values();
    }

    LocalAttempt get(long fencingToken) {
        return byToken.get(fencingToken);
    }

    boolean holds(long fencingToken) {
        return byToken.containsKey(fencingToken);
    }

    /**
     * Held now, or held and forgotten lately: an assignment to ignore when it arrives again. With
     * several coordinators one may hand out an assignment this agent fetched from another and has
     * already run; starting it again would run the job twice.
     */
    boolean heldOrDone(long fencingToken) {
        if (byToken.containsKey(fencingToken)) return true;
        synchronized (done) {
            return done.contains(fencingToken);
        }
    }

    void add(LocalAttempt a) {
        byToken.put(a.work.fencingToken(), a);
        onChange.run();
    }

    int size() {
        return byToken.size();
    }

    boolean isEmpty() {
        return byToken.isEmpty();
    }

    /** Those that ended and wait to be reported. */
    List<LocalAttempt> ended() {
        return byToken.values().stream().filter(LocalAttempt::finished).toList();
    }

    /** Whether any job runs now. */
    boolean jobsRunning() {
        return byToken.values().stream().anyMatch(LocalAttempt::hasLiveJob);
    }

    /** A job ended having used {@code cpuSeconds}. */
    void jobEnded(double cpuSeconds) {
        endedJobCpu.add(cpuSeconds);
    }

    /** All CPU Cyphon's jobs have used since the agent started, ended ones included. */
    double jobCpuSeconds() {
        double live = 0;
        for (LocalAttempt a : byToken.values()) {
            RunningJob job = a.job();
            if (job != null) live += job.cpuSecondsSoFar();
        }
        return endedJobCpu.sum() + live;
    }

    /** What the heartbeat says of each, oldest assignment first. */
    List<AttemptStatus> statuses() {
        return byToken.values().stream()
                .sorted(Comparator.comparingLong(a -> a.work.fencingToken()))
                .map(a -> new AttemptStatus(
                        a.work.jobId(),
                        a.work.attempt(),
                        a.work.fencingToken(),
                        a.wireState(),
                        a.cpuSecondsSinceCheckpoint()))
                .toList();
    }

    /** For the person at the desk: one line per unfinished attempt, "job 42: lingering". */
    List<String> ownerLines() {
        return byToken.values().stream()
                .filter(a -> !a.finished())
                .sorted(Comparator.comparingLong(a -> a.work.jobId()))
                .map(a -> "job " + a.work.jobId() + ": " + a.policyStateName())
                .toList();
    }

    /** The coordinator has decided on its report: drop it with its working directory and output files. */
    void forget(LocalAttempt a) {
        synchronized (done) {
            done.add(a.work.fencingToken());
            var oldest = done.iterator();
            while (done.size() > DONE_REMEMBERED) {
                oldest.next();
                oldest.remove();
            }
        }
        byToken.remove(a.work.fencingToken());
        deleteQuietly(a.workDir);
        deleteQuietly(a.stdout);
        deleteQuietly(a.stderr);
        synchronized (this) {
            notifyAll();
        }
        onChange.run();
    }

    /**
     * Waits until every attempt is forgotten (reported), at most {@code atMost}.
     *
     * @return whether none is left
     */
    synchronized boolean awaitNone(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!byToken.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private static void deleteQuietly(Path p) {
        try {
            if (Files.isDirectory(p)) {
                try (var walk = Files.walk(p)) {
                    walk.sorted(Comparator.reverseOrder())
                            .forEach(x -> x.toFile().delete());
                }
            } else {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException ignored) {
            // A leftover directory is harmless and cleaned on the next start.
        }
    }
}
