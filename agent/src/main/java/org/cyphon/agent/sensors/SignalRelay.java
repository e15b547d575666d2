package org.cyphon.agent.sensors;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.cyphon.agent.priority.ThreadScheduling;
import org.cyphon.core.owner.OwnerSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread at ordinary priority, between the sampling sensors' threads (demoted to SCHED_IDLE,
 * {@link SamplingLoop}) and what must not run demoted:
 *
 * <ul>
 *   <li>it hands what a sample saw to the sink, the desk's owner-first loop, whose lock the freeze
 *       path takes too: a demoted thread holding that lock while the owner's programs fill every CPU
 *       would keep a freeze waiting (priority inversion);
 *   <li>it creates the threads the freeze path runs on ({@link #call}): a thread made by a demoted
 *       thread is born demoted.
 * </ul>
 *
 * Its own thread starts at once, from the thread that makes the relay (the agent's main thread),
 * so it is ordinary; a pool's thread started later by a demoted caller would not be.
 */
final class SignalRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SignalRelay.class);

    private final ExecutorService thread;
    /** The relay's own thread: a call from it runs at once (it is ordinary already, and waiting for itself would hang). */
    private volatile Thread own;

    SignalRelay(String name) {
        // A single thread that never times out, started now: never one created later by a demoted caller.
        this.thread = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name(name).factory());
        try {
            own = this.thread.submit(Thread::currentThread).get();
            ThreadScheduling s = this.thread.submit(ThreadScheduling::current).get();
            if (!s.ordinary()) log.warn("sensors: the signal thread {} runs at {}, not at ordinary priority", name, s);
        } catch (ExecutionException e) {
            log.debug("sensors: cannot read the signal thread's scheduling", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Hands the signals to the sink on the relay's thread, in order; returns at once. */
    void deliver(List<? extends OwnerSignal> signals, Consumer<OwnerSignal> sink) {
        if (signals.isEmpty()) return;
        try {
            thread.execute(() -> {
                try {
                    signals.forEach(sink);
                } catch (RuntimeException e) {
                    // Never let the thread die: its replacement would be made by whoever calls next.
                    log.warn("sensors: a signal's receiver failed", e);
                }
            });
        } catch (RejectedExecutionException closed) {
            // the sensors are stopping: nobody listens any more
        }
    }

    /** Runs {@code task} on the relay's ordinary thread, later; nothing once closed. */
    void execute(Runnable task) {
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("sensors: a task on the signal thread failed", e);
                }
            });
        } catch (RejectedExecutionException closed) {
            // the sensors are stopping
        }
    }

    /** Runs {@code task} on the relay's ordinary thread and waits for it: to create freeze-path threads. */
    <T> T call(Callable<T> task) throws Exception {
        if (Thread.currentThread() == own) return task.call();
        Future<T> f;
        try {
            f = thread.submit(task);
        } catch (RejectedExecutionException closed) {
            throw new IllegalStateException("the sensors are stopping", closed);
        }
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) throw x;
            throw e;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
