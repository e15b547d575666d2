package org.cyphon.coordinator.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Requests beyond the bound wait as tasks, in the order they came, and every one runs. */
class BoundedVirtualThreadsTest {
    @Test
    void atMostTheBoundRunAtOnceAndTheRestRunInOrderAsPlacesFreeUp() throws Exception {
        BoundedVirtualThreads threads =
                new BoundedVirtualThreads(2, Thread.ofVirtual().factory());
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runningNow = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        List<Integer> started = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(6);
        for (int i = 0; i < 6; i++) {
            int n = i;
            threads.execute(() -> {
                started.add(n);
                mostAtOnce.accumulateAndGet(runningNow.incrementAndGet(), Math::max);
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                runningNow.decrementAndGet();
                done.countDown();
            });
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> started.size() == 2);
        // The other four wait as tasks: nothing starts them while both places are taken.
        assertThat(done.await(200, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(started).containsExactly(0, 1);
        release.countDown();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mostAtOnce.get()).isEqualTo(2);
        assertThat(started.subList(2, 6)).containsExactly(2, 3, 4, 5);
    }

    @Test
    void aTaskThatThrowsDoesNotCostItsPlace() throws Exception {
        BoundedVirtualThreads threads = new BoundedVirtualThreads(
                1, Thread.ofVirtual().uncaughtExceptionHandler((t, e) -> {}).factory());
        threads.execute(() -> {
            throw new IllegalStateException("a handler's bug");
        });
        CountDownLatch ran = new CountDownLatch(1);
        threads.execute(ran::countDown);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    }
}
