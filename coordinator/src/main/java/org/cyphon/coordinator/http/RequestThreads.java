package org.cyphon.coordinator.http;

import java.util.concurrent.Executors;
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
    private RequestThreads() {}

    static QueuedThreadPool pool() {
        QueuedThreadPool pool = new QueuedThreadPool(32, 4);
        pool.setName("cyphon-http");
        pool.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("cyphon-request-", 0).factory()));
        return pool;
    }
}
