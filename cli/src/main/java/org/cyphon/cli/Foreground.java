package org.cyphon.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Keeps a server command in the foreground until Ctrl-C / SIGTERM, then closes what it started in
 * reverse order (agents before the coordinator, so they can report their vacated jobs).
 */
final class Foreground {
    private final List<AutoCloseable> started = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);

    synchronized void add(AutoCloseable c) {
        started.add(c);
    }

    /** Blocks until the JVM is asked to stop. */
    void await() throws InterruptedException {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            closeAll();
                            stopped.countDown();
                        },
                        "cyphon-shutdown"));
        stopped.await();
    }

    synchronized void closeAll() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("cyphon: while stopping: " + e.getMessage());
            }
        }
        started.clear();
    }
}
