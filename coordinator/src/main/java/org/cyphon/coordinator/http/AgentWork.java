package org.cyphon.coordinator.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Where the agents' heartbeats and reports are worked on: two lines of their own, each with a
 * bound on how many run at once, apart from the request threads.
 *
 * <p>Why: every request, a user's and a desk's alike, takes one of the request threads in the
 * order it came ({@link RequestThreads}). While 10,000 desks beat and report, a heartbeat that
 * kept its request thread while it waited for a store connection filled those places, and a
 * user's {@code cyphon q} waited behind thousands of them until it timed out (bench/run scale
 * --store postgresql). Here a desk's request only reads its body on its request thread and is
 * then suspended; its work waits in its own line as a small task holding no thread and no stack,
 * so a user's request waits for request threads only as long as it takes to read bodies.
 *
 * <p>The bounds: heartbeats are store reads, so at most half the store's read connections at once:
 * more would only wait inside the connection pool, each with its stack, and the other half is
 * there for the users' requests and the coordinator's own loops, however slow the store gets
 * (UsersAnsweredWhileDesksWaitOnTheStoreTest). Reports are JSON and a read per batch, CPU work,
 * so one per core. Two lines, not one: a heartbeat is a few microseconds and must not wait behind
 * the reports that came before it.
 */
final class AgentWork {
    private final Executor beats;
    private final Executor reports;

    AgentWork(int storeReadConnections) {
        this.beats = beatThreads(Math.max(1, storeReadConnections / 2));
        this.reports = new BoundedVirtualThreads(
                Runtime.getRuntime().availableProcessors(),
                Thread.ofVirtual().name("cyphon-report-", 0).factory());
    }

    /**
     * Platform threads, not virtual ones, for the heartbeats. While the pool dispatches, the
     * virtual threads' carriers (one per core) are busy all the time with reports and replies, and
     * a beat's virtual thread waited in their queue behind them: on H2 a quarter of the beats
     * answered from a read took 100–500 ms of which the read was a few (bench/run scale, the
     * coordinator's count). A platform thread that sleeps between beats is woken ahead of threads
     * that never sleep (the kernel's fair scheduler favours them), so a beat waits for a core for
     * a time slice at most. Few (the bound), and idle ones end after a while.
     */
    private static Executor beatThreads(int n) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(n, n, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "cyphon-beat-" + count.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Runs {@code work} in the heartbeats' line; its result is the future it returns. */
    <T> CompletableFuture<T> beat(Supplier<CompletableFuture<T>> work) {
        return in(beats, work);
    }

    /** Runs {@code work} in the reports' line; its result is the future it returns. */
    <T> CompletableFuture<T> report(Supplier<CompletableFuture<T>> work) {
        return in(reports, work);
    }

    /**
     * A failure thrown by {@code work} itself (a 400) fails the future as it is, unwrapped; so
     * does an error, so that no request waits forever for a line whose task died.
     */
    private static <T> CompletableFuture<T> in(Executor line, Supplier<CompletableFuture<T>> work) {
        CompletableFuture<T> out = new CompletableFuture<>();
        line.execute(() -> {
            try {
                var unused = work.get().whenComplete((value, failure) -> {
                    if (failure != null) out.completeExceptionally(failure);
                    else out.complete(value);
                });
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            } catch (Error e) {
                // Answered (500) rather than left hanging until the desk's own timeout; the error
                // still goes on to the thread, as any other.
                out.completeExceptionally(e);
                throw e;
            }
        });
        return out;
    }
}
