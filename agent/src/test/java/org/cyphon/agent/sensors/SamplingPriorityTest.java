package org.cyphon.agent.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.cyphon.agent.priority.ThreadScheduling;
import org.cyphon.core.owner.InputSeen;
import org.cyphon.core.owner.OwnerSignal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sampling sensors' threads really run at SCHED_IDLE once they have taken their first sample,
 * what they saw reaches the sink on an ordinary thread, and the X11 input listener — the
 * owner-input → freeze path — stays ordinary and delivers a key press within the yield bound even
 * while ordinary CPU burners fill every core.
 */
class SamplingPriorityTest {
    private static final Path PROC = Path.of("/proc");
    /** The owner benchmark's target for the yield (bench/run owner, case e: p99 <= 50 ms). */
    private static final Duration YIELD_BOUND = Duration.ofMillis(50);

    @TempDir
    Path dir;

    /** A signal as the sink received it: on which thread, at what scheduling, when. */
    record Received(OwnerSignal signal, String thread, ThreadScheduling scheduling, long nanoTime) {}

    private final List<Received> received = new CopyOnWriteArrayList<>();

    private void receive(OwnerSignal s) {
        long now = System.nanoTime();
        ThreadScheduling sched;
        try {
            sched = ThreadScheduling.current();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        received.add(new Received(s, Thread.currentThread().getName(), sched, now));
    }

    @Test
    void theLoadSensorSamplesAtSchedIdleAndItsSignalsReachTheSinkOnAnOrdinaryThread() throws Exception {
        try (OwnerLoadSensor sensor =
                new OwnerLoadSensor(PROC, Duration.ofMillis(100), () -> 0.0, () -> true, Clock.systemUTC())) {
            assertThat(sensor.start(this::receive)).isTrue();

            await().atMost(30, TimeUnit.SECONDS).until(() -> received.size() >= 3);
            await().atMost(30, TimeUnit.SECONDS)
                    .until(() -> scheduling("sensor-load-sam").policy() == ThreadScheduling.SCHED_IDLE);
            for (Received r : received) {
                assertThat(r.thread()).isEqualTo("sensor-load-signals");
                assertThat(r.scheduling().ordinary()).as(r.toString()).isTrue();
            }
        }
    }

    @Test
    void x11InputReachesTheSinkOnAnOrdinaryThreadWithinTheYieldBoundWhileBurnersFillEveryCore() throws Exception {
        try (X11IdleSensor sensor =
                new X11IdleSensor(XvfbDisplay.SOCKET_DIR, PROC, Duration.ofMillis(100), Clock.systemUTC())) {
            assertThat(sensor.start(this::receive)).isTrue();
            // The display appears after the sampler has demoted itself: its input listener is made then.
            await().atMost(30, TimeUnit.SECONDS)
                    .until(() -> scheduling("sensor-x11-samp").policy() == ThreadScheduling.SCHED_IDLE);
            try (XvfbDisplay x = XvfbDisplay.start(dir)) {
                String source = "x11::" + x.number;
                // A sample of the display: it was connected, and its listener started, in that sample.
                await().atMost(30, TimeUnit.SECONDS)
                        .until(() -> received.stream()
                                .anyMatch(r -> r.signal() instanceof InputSeen i
                                        && i.source().equals(source)));
                assertThat(sensor.status()).doesNotContain(":" + x.number + " ");
                pressAndTime(x, source);
            }
        }
    }

    /** Key presses while ordinary burners fill every core: each must reach the sink from the listener in time. */
    private void pressAndTime(XvfbDisplay x, String source) throws Exception {
        List<Process> burners = new ArrayList<>();
        try {
            for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
                burners.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
            }
            for (int press = 0; press < 5; press++) {
                received.clear();
                // Past the listener's quiet period, so this press is reported on its own.
                Thread.sleep(X11InputListener.QUIET.toMillis() + 100);
                x.client("xdotool", "key", "a");
                // xdotool has closed its connection (a round trip): the server has sent the event by now.
                long pressed = System.nanoTime();
                await().atMost(30, TimeUnit.SECONDS).until(() -> fromListener(source) != null);
                Received r = fromListener(source);
                assertThat(r.scheduling().ordinary()).as(r.toString()).isTrue();
                assertThat(Duration.ofNanos(r.nanoTime() - pressed))
                        .as("from xdotool's exit to the sink, press " + press)
                        .isLessThanOrEqualTo(YIELD_BOUND);
            }
        } finally {
            for (Process p : burners) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Received fromListener(String source) {
        return received.stream()
                .filter(r -> r.signal() instanceof InputSeen i && i.source().equals(source))
                .filter(r -> r.thread().startsWith("sensor-x11-input"))
                .findFirst()
                .orElse(null);
    }

    /** The scheduling of this process's thread whose name (comm, 15 characters at most) is {@code comm}. */
    static ThreadScheduling scheduling(String comm) throws IOException {
        long tid = tid(comm);
        if (tid < 0) throw new IllegalStateException("no thread named " + comm);
        return ThreadScheduling.of(tid);
    }

    static long tid(String comm) throws IOException {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                try {
                    if (Files.readString(t.resolve("comm")).strip().equals(comm))
                        return Long.parseLong(t.getFileName().toString());
                } catch (IOException gone) {
                    // the thread ended while we looked
                }
            }
        }
        return -1;
    }
}
