package org.cyphon.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.cyphon.agent.client.CoordinatorUnreachableException;
import org.cyphon.core.owner.InputSeen;
import org.cyphon.core.protocol.DeskView;
import org.cyphon.core.protocol.OwnerVisibleEvent;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Owner-visible events on a whole agent with a real sandbox: a job frozen at once when the owner's
 * input arrives is none; a job the agent could only freeze well after the owner's input (the input
 * reached it late) is one, timed from the input, and is sent with every heartbeat until one is
 * answered. The desk view also says since when the owner is present.
 */
class OwnerVisibleEventsTest {
    private static final String FREEZE_WHEN_PRESENT =
            "preset = \"dedicated\"\nwhen_present = \"freeze\"\npresent_within = \"10m\"\nthaw_after_idle = \"10m\"";

    @TempDir
    Path tmp;

    private TestDesk desk;

    @AfterEach
    void close() throws Exception {
        if (desk != null) desk.close();
    }

    @Test
    void aJobFrozenAtOnceWhenTheOwnerComesBackIsNoOwnerVisibleEvent() throws Exception {
        // The owner comes and goes within a second, so the test can watch several returns.
        desk = new TestDesk(
                tmp,
                "preset = \"dedicated\"\nwhen_present = \"freeze\"\npresent_within = \"1s\"\nthaw_after_idle = \"1s\"");
        WorkAssignment w = desk.job(1, "exec sleep 1000");
        desk.assign(w);
        desk.awaitStarted(w);

        // The freeze runs on the caller's thread: once signal() returns, the job is frozen. A return
        // whose whole round (input to frozen and back) took at most the bound is no event; on a
        // loaded machine some rounds take longer (and are rightly counted), so watch up to 10.
        int quick = 0;
        for (int round = 0; round < 10 && quick < 3; round++) {
            await().atMost(TestDesk.PATIENCE)
                    .until(() -> desk.attempt(w).policyStateName().equals("running"));
            Instant before = Instant.now();
            Instant input = Instant.now();
            desk.agent.ownerFirst().signal(new InputSeen("test-keyboard", input, input));
            Instant after = Instant.now();
            assertThat(desk.attempt(w).policyStateName()).isEqualTo("frozen");
            var slow = desk.agent.ownerFirst().unreportedSlowYields();
            if (!OwnerVisibleEvent.ownerVisible(input, after)) {
                quick++;
                assertThat(slow).as("a yield within the bound").isEmpty();
                desk.agent.heartbeats().beat();
                DeskView sent = desk.coordinator.lastBeat().desk();
                assertThat(sent.owner()).isEqualTo("present");
                assertThat(sent.ownerVisible()).isEmpty();
                assertThat(sent.ownerSince()).isBetween(before, Instant.now());
            } else {
                // Slow here: if counted, it is timed from this input to no later than the freeze's end.
                for (OwnerVisibleEvent e : slow) {
                    assertThat(e.input()).isEqualTo(input);
                    assertThat(e.yielded()).isBetween(input, after);
                }
                desk.agent.heartbeats().beat(); // answered: the coordinator has them
            }
        }
        assertThat(quick)
                .as("returns yielded within the bound (the machine is too loaded otherwise)")
                .isPositive();
    }

    @Test
    void aJobFrozenLongAfterTheOwnersInputCountsAndIsSentUntilABeatIsAnswered() throws Exception {
        desk = new TestDesk(tmp, FREEZE_WHEN_PRESENT);
        WorkAssignment w = desk.job(2, "exec sleep 1000");
        desk.assign(w);
        desk.awaitStarted(w);

        // The owner pressed a key 300 ms ago; the agent hears of it only now (a sensor that lagged).
        Instant now = Instant.now();
        Instant pressed = now.minusMillis(300);
        desk.agent.ownerFirst().signal(new InputSeen("test-keyboard", now, pressed));

        assertThat(desk.attempt(w).policyStateName()).isEqualTo("frozen");
        var slow = desk.agent.ownerFirst().unreportedSlowYields();
        assertThat(slow).hasSize(1);
        OwnerVisibleEvent e = slow.getFirst();
        assertThat(e.jobId()).isEqualTo(2);
        assertThat(e.attempt()).isEqualTo(w.attempt());
        assertThat(e.input()).isEqualTo(pressed);
        assertThat(e.latency()).isGreaterThanOrEqualTo(Duration.ofMillis(300));

        // A beat that is not answered: the event is sent again with the next one.
        desk.coordinator.failNextHeartbeat(new CoordinatorUnreachableException("test: no answer", null));
        assertThatThrownBy(() -> desk.agent.heartbeats().beat()).isInstanceOf(CoordinatorUnreachableException.class);
        assertThat(desk.coordinator.lastBeat().desk().ownerVisible()).containsExactly(e);
        desk.agent.heartbeats().beat();
        assertThat(desk.coordinator.lastBeat().desk().ownerVisible()).containsExactly(e);
        // Answered: the coordinator has it, and it is not sent again.
        desk.agent.heartbeats().beat();
        assertThat(desk.coordinator.lastBeat().desk().ownerVisible()).isEmpty();
    }
}
