package org.cyphon.agent.priority;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Platform daemon threads that demote themselves to SCHED_IDLE ({@link IdlePriority}) before they
 * run anything: for the agent's periodic, non-urgent work. The first is named {@code name}, later
 * ones {@code name-2}, {@code name-3}, ...
 *
 * <p>Platform threads, not virtual ones: a virtual thread runs on whichever carrier is free, and the
 * carriers are shared with work that must not be demoted.
 */
public final class IdlePriorityThreads implements ThreadFactory {
    private final String name;
    private final AtomicInteger made = new AtomicInteger();

    public IdlePriorityThreads(String name) {
        this.name = name;
    }

    @Override
    public Thread newThread(Runnable r) {
        int n = made.incrementAndGet();
        return Thread.ofPlatform().daemon().name(n == 1 ? name : name + "-" + n).unstarted(() -> {
            var unused = IdlePriority.demoteCurrentThread();
            r.run();
        });
    }
}
