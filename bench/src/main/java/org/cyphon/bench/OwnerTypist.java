package org.cyphon.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The person at the desk, typing: one key with the real {@code xdotool} on the owner's display
 * every {@code every}, for as long as it runs. Runs in cases (a)-(d) alike, so the only difference
 * between them is what runs in the background; under the agent it keeps the owner "present".
 */
final class OwnerTypist implements AutoCloseable {
    private final Thread thread;
    private final AtomicInteger keys = new AtomicInteger();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile boolean stop;

    private OwnerTypist(OwnerXvfb display, Duration every) {
        thread = Thread.ofPlatform().daemon().name("owner-typist").start(() -> {
            while (!stop) {
                try {
                    display.client("xdotool", "key", "a");
                    keys.incrementAndGet();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    failure.compareAndSet(null, e.getMessage());
                }
                try {
                    Thread.sleep(every.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    static OwnerTypist start(OwnerXvfb display, Duration every) {
        return new OwnerTypist(display, every);
    }

    int keys() {
        return keys.get();
    }

    /** The first xdotool failure, or null: a typist that failed means the owner was not seen as present. */
    String failure() {
        return failure.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(10_000);
    }
}
