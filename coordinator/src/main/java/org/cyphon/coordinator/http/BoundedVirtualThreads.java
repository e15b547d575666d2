package org.cyphon.coordinator.http;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs each task on a virtual thread of its own, at most {@code max} at once; the rest wait in
 * line as plain tasks, first come first served, and a thread that finishes takes the next.
 *
 * <p>Why a bound: a virtual thread that waits keeps its stack in the heap. With 9,500 desks each
 * holding a long poll and a heartbeat, and a store on another machine (PostgreSQL) whose
 * connections are few, unbounded request threads piled up 8,000 deep on the connection pool, each
 * with its stack, until reads timed out after 30 s and the heap ran out (bench/run scale
 * --store postgresql). Waiting as a task costs a few dozen bytes. The bound is far above what a
 * core can keep busy, so a few hundred requests stalled on their bodies (each cut by
 * {@code http.body_timeout}) still leave room for every heartbeat.
 */
final class BoundedVirtualThreads implements Executor {
    private final int max;
    private final ThreadFactory threads;
    private final AtomicInteger running = new AtomicInteger();
    private final ConcurrentLinkedQueue<Runnable> waiting = new ConcurrentLinkedQueue<>();

    BoundedVirtualThreads(int max, ThreadFactory threads) {
        this.max = max;
        this.threads = threads;
    }

    @Override
    public void execute(Runnable task) {
        waiting.add(task);
        startIfRoom();
    }

    private void startIfRoom() {
        while (!waiting.isEmpty()) {
            int now = running.get();
            if (now >= max) return;
            if (running.compareAndSet(now, now + 1)) {
                threads.newThread(this::drain).start();
                return;
            }
        }
    }

    /** Runs waiting tasks until none is left, then gives its place back. */
    private void drain() {
        try {
            for (Runnable task; (task = waiting.poll()) != null; ) {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    Thread t = Thread.currentThread();
                    t.getUncaughtExceptionHandler().uncaughtException(t, e);
                }
            }
        } finally {
            running.decrementAndGet();
            startIfRoom(); // a task added between the last poll and the decrement
        }
    }
}
