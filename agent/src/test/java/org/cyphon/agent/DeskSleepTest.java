package org.cyphon.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.cyphon.agent.client.CoordinatorRefusedException;
import org.cyphon.agent.power.LogindSleepTestService;
import org.cyphon.agent.sensors.DBusPrivateBus;
import org.cyphon.core.protocol.SleepNotice;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code power.suspend_when_idle}: a real agent (its sensors see nobody: a headless desk, its owner
 * away) against a fake coordinator link, sleeping through a test logind on a private bus. It tells
 * the coordinator before it sleeps, holds its beats while asleep, beats again at the resume, and
 * stays awake when the coordinator or logind says no, or while it has work.
 */
class DeskSleepTest {
    @TempDir
    Path tmp;

    private DBusPrivateBus bus;
    private LogindSleepTestService logind;
    private TestDesk desk;
    private final ExecutorService loops = Executors.newVirtualThreadPerTaskExecutor();
    /** How many times logind took the machine down (after its PrepareForSleep(true)). */
    private final java.util.concurrent.atomic.AtomicInteger downs = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        bus = DBusPrivateBus.start();
        logind = LogindSleepTestService.startOn(bus.address());
        logind.onSleep(how -> downs.incrementAndGet());
        desk = new TestDesk(
                tmp,
                "preset = \"dedicated\"",
                "dbus_address = \"" + bus.address() + "\"",
                "[power]\nsuspend_when_idle = \"1s\"\n");
        loops.execute(desk.agent.heartbeats()::run);
        loops.execute(desk.agent.deskSleep()::run);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (desk != null) desk.close();
        } finally {
            loops.shutdownNow();
            if (logind != null) logind.close();
            if (bus != null) bus.close();
        }
    }

    private int beats() {
        return desk.coordinator.beats().size();
    }

    @Test
    void tellsTheCoordinatorSleepsHoldsItsBeatsAndBeatsAgainAtTheResume() throws Exception {
        await().atMost(TestDesk.PATIENCE).until(() -> downs.get() == 1);
        assertThat(logind.calls()).containsExactly("suspend");
        SleepNotice told = desk.coordinator.sleeps().getFirst();
        assertThat(told.how()).isEqualTo("suspend");
        assertThat(told.desk().owner()).isEqualTo("away");
        assertThat(desk.agent.deskSleep().asleep()).isTrue();

        // Asleep: not one beat, or the coordinator would take the desk as awake.
        int before = beats();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> beats() == before);

        logind.resume();
        await().atMost(TestDesk.PATIENCE).until(() -> beats() > before);
        assertThat(desk.agent.deskSleep().sleeps()).isEqualTo(1);
        // Idle again for its second, it sleeps again.
        await().atMost(TestDesk.PATIENCE).until(() -> downs.get() == 2);
    }

    @Test
    void aRefusalFromTheCoordinatorOrFromLogindKeepsTheDeskAwake() throws Exception {
        desk.coordinator.refuseNextSleep(new CoordinatorRefusedException(409, "work is on its way", null));
        logind.refuse("Interactive authentication required.");
        await().atMost(TestDesk.PATIENCE).until(() -> desk.coordinator.sleeps().size() == 1);
        // Refused by the coordinator: logind was never asked.
        assertThat(logind.calls()).isEmpty();
        int before = beats();
        await().atMost(TestDesk.PATIENCE).until(() -> beats() > before);

        // Told the coordinator the second time, but logind refuses: awake, and the coordinator hears so.
        await().atMost(TestDesk.PATIENCE).until(() -> logind.calls().size() == 1);
        int after = beats();
        await().atMost(TestDesk.PATIENCE).until(() -> beats() > after);
        assertThat(desk.agent.deskSleep().sleeps()).isZero();
        assertThat(downs.get()).isZero();
    }

    @Test
    void aDeskWithWorkDoesNotSleepUntilItHasBeenQuietAgain() throws Exception {
        await().atMost(TestDesk.PATIENCE).until(() -> downs.get() == 1);
        int notices = desk.coordinator.sleeps().size();
        WorkAssignment w = desk.job(1, "sleep 3");
        desk.assign(w); // arrives as it resumes
        logind.resume();
        desk.awaitStarted(w);
        // Ended and reported: the beat loop sends the report, and the agent forgets the attempt.
        await().atMost(TestDesk.PATIENCE).until(() -> desk.agent.attempts().isEmpty());
        long endedAt = System.nanoTime();
        await().atMost(TestDesk.PATIENCE).until(() -> downs.get() == 2);
        // Not before the job ended and a quiet second passed.
        assertThat((System.nanoTime() - endedAt) / 1_000_000).isGreaterThanOrEqualTo(900);
        assertThat(desk.coordinator.sleeps()).hasSize(notices + 1);
    }
}
