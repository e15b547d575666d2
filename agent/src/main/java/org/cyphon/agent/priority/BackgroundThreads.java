package org.cyphon.agent.priority;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Platform daemon threads that demote themselves ({@link BackgroundPriority}) before they run
 * anything: for the agent's periodic, non-urgent work. The first is named {@code name}, later ones
 * {@code name-2}, {@code name-3}, ...
 *
 * <p>Platform threads, not virtual ones: a virtual thread runs on whichever carrier is free, and the
 * carriers are shared with work that must not be demoted.
 */
public final class BackgroundThreads implements ThreadFactory {
    private final String name;
    private final BackgroundPriority priority;
    private final AtomicInteger made = new AtomicInteger();

    public BackgroundThreads(String name, BackgroundPriority priority) {
        this.name = name;
        this.priority = priority;
    }

    @Override
    public Thread newThread(Runnable r) {
        int n = made.incrementAndGet();
        return Thread.ofPlatform().daemon().name(n == 1 ? name : name + "-" + n).unstarted(() -> {
            var unused = priority.demoteCurrentThread();
            r.run();
        });
    }
}
