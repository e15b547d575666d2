package org.cyphon.agent.priority;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Threads really demoted, as the kernel reports them in /proc/self/task/TID/stat. */
class BackgroundThreadsTest {

    @Test
    void aThreadOfTheFactoryRunsAtSchedIdleWhileItsCreatorStaysOrdinary() throws Exception {
        CompletableFuture<ThreadScheduling> seen = new CompletableFuture<>();
        CompletableFuture<Long> tid = new CompletableFuture<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        Thread t = new BackgroundThreads("test-idle", BackgroundPriority.IDLE).newThread(() -> {
            try {
                tid.complete(ThreadScheduling.currentTid());
                seen.complete(ThreadScheduling.current());
                release.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                seen.completeExceptionally(e);
            }
        });
        t.start();
        try {
            assertThat(t.getName()).isEqualTo("test-idle");
            assertThat(t.isDaemon()).isTrue();
            assertThat(seen.get(30, TimeUnit.SECONDS).policy()).isEqualTo(ThreadScheduling.SCHED_IDLE);
            // Read from outside the thread too, through its id: the kernel's own account.
            assertThat(ThreadScheduling.of(tid.get()).policy()).isEqualTo(ThreadScheduling.SCHED_IDLE);
            assertThat(ThreadScheduling.of(tid.get()).toString()).isEqualTo("SCHED_IDLE");
            assertThat(ThreadScheduling.current().ordinary())
                    .as("the creating thread keeps its priority")
                    .isTrue();
        } finally {
            release.complete(null);
            t.join(30_000);
        }
    }

    @Test
    void aThreadMadeByADemotedThreadIsBornDemotedWhichIsWhyFreezePathThreadsAreMadeElsewhere() throws Exception {
        CompletableFuture<ThreadScheduling> child = new CompletableFuture<>();
        Thread parent = new BackgroundThreads("test-idle-parent", BackgroundPriority.IDLE).newThread(() -> {
            Thread c = Thread.ofPlatform().start(() -> {
                try {
                    child.complete(ThreadScheduling.current());
                } catch (Exception e) {
                    child.completeExceptionally(e);
                }
            });
            try {
                c.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        parent.start();
        parent.join(30_000);

        assertThat(child.get(30, TimeUnit.SECONDS).lowest()).isTrue();
    }

    @Test
    void aNice19ThreadOfTheFactoryRunsAtNice19() throws Exception {
        CompletableFuture<ThreadScheduling> seen = new CompletableFuture<>();
        Thread t = new BackgroundThreads("test-nice", BackgroundPriority.NICE_19).newThread(() -> {
            try {
                seen.complete(ThreadScheduling.current());
            } catch (Exception e) {
                seen.completeExceptionally(e);
            }
        });
        t.start();
        t.join(30_000);

        assertThat(seen.get(30, TimeUnit.SECONDS)).isEqualTo(new ThreadScheduling(ThreadScheduling.SCHED_OTHER, 19));
    }

    @Test
    void laterThreadsOfOneFactoryAreNumbered() {
        BackgroundThreads f = new BackgroundThreads("beat", BackgroundPriority.IDLE);
        assertThat(f.newThread(() -> {}).getName()).isEqualTo("beat");
        assertThat(f.newThread(() -> {}).getName()).isEqualTo("beat-2");
    }

    @Test
    void schedulingIsReadFromProcForThisThread() throws Exception {
        ThreadScheduling s = ThreadScheduling.current();
        assertThat(s.policy()).isEqualTo(ThreadScheduling.SCHED_OTHER);
        assertThat(s.toString()).isEqualTo("SCHED_OTHER nice " + s.nice());
        assertThat(new ThreadScheduling(ThreadScheduling.SCHED_OTHER, 19).lowest())
                .isTrue();
        assertThat(new ThreadScheduling(ThreadScheduling.SCHED_OTHER, 5).lowest())
                .isFalse();
    }
}
