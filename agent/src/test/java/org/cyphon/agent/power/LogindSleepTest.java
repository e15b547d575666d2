package org.cyphon.agent.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.cyphon.agent.sensors.DBusPrivateBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent's sleep through logind, against a test logind on a private bus (real D-Bus, real wire). */
class LogindSleepTest {
    private DBusPrivateBus bus;
    private LogindSleepTestService logind;

    @BeforeEach
    void start() throws Exception {
        bus = DBusPrivateBus.start();
        logind = LogindSleepTestService.startOn(bus.address());
    }

    @AfterEach
    void stop() {
        if (logind != null) logind.close();
        if (bus != null) bus.close();
    }

    @Test
    void asksLogindAndReturnsOnceTheMachineHasResumed() throws Exception {
        CountDownLatch down = new CountDownLatch(1);
        logind.onSleep(how -> down.countDown());
        LogindSleep sleep = new LogindSleep(bus.address());
        CompletableFuture<Void> asleep = CompletableFuture.runAsync(() -> {
            try {
                sleep.sleep("hibernate", Duration.ofSeconds(20), Duration.ofMinutes(5));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        down.await();
        assertThat(logind.calls()).containsExactly("hibernate");
        // Asleep until logind says it resumed.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !asleep.isDone());
        logind.resume();
        await().atMost(Duration.ofSeconds(20)).until(asleep::isDone);
        asleep.join();
    }

    @Test
    void aRefusalOrNoStartIsAFailureThatSaysWhy() {
        LogindSleep sleep = new LogindSleep(bus.address());
        logind.refuse("Interactive authentication required.");
        assertThatThrownBy(() -> sleep.sleep("suspend", Duration.ofSeconds(5), Duration.ofMinutes(5)))
                .isInstanceOf(SleepFailedException.class)
                .hasMessageContaining("logind refused to suspend")
                .hasMessageContaining("Interactive authentication required.");

        logind.refuse(null);
        logind.neverStart();
        assertThatThrownBy(() -> sleep.sleep("suspend", Duration.ofSeconds(1), Duration.ofMinutes(5)))
                .isInstanceOf(SleepFailedException.class)
                .hasMessageContaining("did not begin to suspend within 1 s");
        assertThat(logind.calls()).containsExactly("suspend", "suspend");
    }

    @Test
    void withoutABusItIsAFailureNamingTheAddress() {
        LogindSleep sleep = new LogindSleep("unix:path=/nonexistent/cyphon-test-bus");
        assertThatThrownBy(() -> sleep.sleep("suspend", Duration.ofSeconds(1), Duration.ofMinutes(5)))
                .isInstanceOf(SleepFailedException.class)
                .hasMessageContaining("no system D-Bus at unix:path=/nonexistent/cyphon-test-bus");
    }
}
