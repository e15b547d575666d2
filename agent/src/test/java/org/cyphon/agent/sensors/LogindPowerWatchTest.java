package org.cyphon.agent.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cyphon.agent.sensors.LogindPowerWatch.Operation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The agent's power watch against a test logind on a private bus ({@link LogindTestService}): the
 * delay lock is a real one (systemd-inhibit takes it, the test logind hands out a FIFO's descriptor
 * and watches it close), the signals are real, and the test logind honours the lock as logind does,
 * waiting for it at most InhibitDelayMaxUSec. What is faked is the decision to power off.
 */
class LogindPowerWatchTest {
    private static final Duration AT_MOST = Duration.ofSeconds(20);

    private final List<String> heard = new CopyOnWriteArrayList<>();
    private DBusPrivateBus bus;
    private LogindTestService logind;
    private LogindPowerWatch watch;

    @BeforeAll
    static void quietDBusJavasWireLog() {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.freedesktop.dbus"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
    }

    @BeforeEach
    void startLogind() throws Exception {
        bus = DBusPrivateBus.start();
        logind = LogindTestService.startOn(bus.address());
        logind.setInhibitDelayMax(Duration.ofSeconds(7));
    }

    @AfterEach
    void stopEverything() {
        try {
            if (watch != null) watch.close();
        } finally {
            try {
                logind.close();
            } finally {
                bus.close();
            }
        }
    }

    /** A listener that takes {@code work} to leave, as the agent's checkpoint-and-vacate does. */
    private LogindPowerWatch.Listener leavingIn(Duration work) {
        return new LogindPowerWatch.Listener() {
            @Override
            public void goingDown(Operation op, Duration delayMax) {
                heard.add("down " + op + " " + delayMax.toSeconds() + "s");
                try {
                    // Not a wait for a state: the time the agent's work takes before it lets go.
                    Thread.sleep(work.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void back(Operation op) {
                heard.add("back " + op);
            }
        };
    }

    @Test
    void theWatchHoldsADelayLockAndReadsHowLongLogindWaits() throws Exception {
        watch = LogindPowerWatch.start(bus.address(), leavingIn(Duration.ZERO));

        assertThat(watch.lockHeld()).as(String.valueOf(watch.lockProblem())).isTrue();
        assertThat(watch.delayMax()).isEqualTo(Duration.ofSeconds(7));
        assertThat(logind.locksHeld()).singleElement().satisfies(l -> {
            assertThat(l.what()).isEqualTo("shutdown:sleep");
            assertThat(l.mode()).isEqualTo("delay");
            assertThat(l.who()).isEqualTo("Cyphon agent");
        });
    }

    @Test
    void onPrepareForShutdownTheAgentWorksThenLetsGoAndLogindGoesOnBeforeItsMaximum() throws Exception {
        watch = LogindPowerWatch.start(bus.address(), leavingIn(Duration.ofMillis(800)));

        LogindTestDelayLocks.Wait w = logind.announceShutdown();

        assertThat(heard).containsExactly("down SHUTDOWN 7s");
        assertThat(w.released())
                .as("the lock was let go before InhibitDelayMaxUSec")
                .isTrue();
        assertThat(w.waited()).isBetween(Duration.ofMillis(800), Duration.ofSeconds(7));
        assertThat(logind.locksHeld()).isEmpty();
        assertThat(watch.lockHeld()).isFalse();
    }

    @Test
    void afterAResumeTheWatchTakesTheLockAgainAndSaysTheDeskIsBack() throws Exception {
        watch = LogindPowerWatch.start(bus.address(), leavingIn(Duration.ofMillis(200)));

        LogindTestDelayLocks.Wait w = logind.announceSleep();
        assertThat(w.released()).isTrue();
        assertThat(heard).containsExactly("down SLEEP 7s");

        logind.announceResume();
        await().atMost(AT_MOST).until(() -> heard.size() == 2);
        assertThat(heard).containsExactly("down SLEEP 7s", "back SLEEP");
        assertThat(watch.lockHeld()).isTrue();
        assertThat(logind.locksHeld()).hasSize(1);

        // and the next sleep is delayed again
        assertThat(logind.announceSleep().released()).isTrue();
        assertThat(heard).hasSize(3);
    }

    @Test
    void aWatchThatIsClosedHoldsNothingUp() throws Exception {
        watch = LogindPowerWatch.start(bus.address(), leavingIn(Duration.ZERO));
        assertThat(logind.locksHeld()).hasSize(1);

        watch.close();

        await().atMost(AT_MOST).until(() -> logind.locksHeld().isEmpty());
        LogindTestDelayLocks.Wait w = logind.announceShutdown();
        assertThat(w.released()).isTrue();
        assertThat(w.waited()).isLessThan(Duration.ofSeconds(1));
        assertThat(heard).isEmpty();
    }

    @Test
    void withoutLogindOnTheBusTheWatchSaysSo() throws Exception {
        logind.close();
        try {
            LogindPowerWatch.start(bus.address(), leavingIn(Duration.ZERO));
            throw new AssertionError("started without logind");
        } catch (LogindUnavailableException e) {
            assertThat(e.getMessage()).contains("no logind");
        }
        logind = LogindTestService.startOn(bus.address()); // for the cleanup
    }
}
