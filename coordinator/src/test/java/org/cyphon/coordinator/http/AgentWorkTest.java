package org.cyphon.coordinator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The desks' two lines of work: results and failures come back as they are, and one line never waits on the other. */
class AgentWorkTest {
    @Test
    void aResultComesBackAndABeatRunsOnAPlatformThreadOfTheHeartbeatsLine() throws Exception {
        AgentWork work = new AgentWork(8);
        CompletableFuture<String> beat = work.beat(() -> CompletableFuture.completedFuture(
                Thread.currentThread().getName() + (Thread.currentThread().isVirtual() ? " virtual" : " platform")));
        assertThat(beat.get(10, TimeUnit.SECONDS)).startsWith("cyphon-beat-").endsWith(" platform");
    }

    @Test
    void aFailureThrownByTheWorkFailsItsRequestUnwrappedAndAnErrorDoesNotLeaveItHanging() {
        AgentWork work = new AgentWork(2);
        CompletableFuture<Object> bad = work.report(() -> {
            throw new IllegalArgumentException("field 'reports' is missing");
        });
        assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field 'reports' is missing");

        CompletableFuture<Object> broken = work.beat(() -> {
            throw new StackOverflowError("a bug deep in a beat");
        });
        assertThatThrownBy(() -> broken.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(StackOverflowError.class);
        // The line goes on after it.
        assertThat(work.beat(() -> CompletableFuture.completedFuture("next")).join())
                .isEqualTo("next");
    }

    @Test
    void reportsGoOnWhileEveryHeartbeatPlaceIsTaken() throws Exception {
        AgentWork work = new AgentWork(2); // one heartbeat at a time
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> stuck = work.beat(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CompletableFuture.completedFuture("beat");
        });
        CompletableFuture<String> waiting = work.beat(() -> CompletableFuture.completedFuture("second beat"));
        assertThat(work.report(() -> CompletableFuture.completedFuture("report"))
                        .get(10, TimeUnit.SECONDS))
                .isEqualTo("report");
        assertThat(waiting).as("the second beat waits for the only place").isNotDone();
        release.countDown();
        assertThat(stuck.get(10, TimeUnit.SECONDS)).isEqualTo("beat");
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("second beat");
    }
}
