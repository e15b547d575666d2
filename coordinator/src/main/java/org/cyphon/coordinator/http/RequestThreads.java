package org.cyphon.coordinator.http;

import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty's threads: a small pool of platform threads for the selectors and acceptors, and a virtual
 * thread for each request.
 *
 * <p>Why: a request that writes waits for the store's single writer to commit it (group commit,
 * {@code Transactions}). While the pool dispatches, thousands of desks post reports at once; with
 * a pool of 200 platform threads every one of them sat blocked on a commit and each further
 * request, a heartbeat among them, queued behind the rest for seconds (bench/run scale: beats
 * p50 3.4 s while dispatching), though the writer takes heartbeats ahead of its backlog. A
 * virtual thread that waits gives its carrier back, so every request reaches its handler at once
 * and a heartbeat waits for one commit at most. The selectors stay on platform threads: they sit
 * in epoll and must never share a carrier with request work.
 */
final class RequestThreads {
    /** Requests handled at once; the rest wait in line (see {@link BoundedVirtualThreads}). */
    static final int MAX_REQUESTS_AT_ONCE = 1000;

    private RequestThreads() {}

    static QueuedThreadPool pool() {
        QueuedThreadPool pool = new QueuedThreadPool(32, 4);
        pool.setName("cyphon-http");
        pool.setVirtualThreadsExecutor(new BoundedVirtualThreads(
                MAX_REQUESTS_AT_ONCE,
                Thread.ofVirtual().name("cyphon-request-", 0).factory()));
        return pool;
    }
}
