package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.cyphon.coordinator.agents.LeaseSizing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Desks enrolling over real HTTP into a pool whose lease is too short for its size: once their
 * quiet heartbeats (three per lease each) pass the budget a small coordinator serves, the log says
 * so, with the lease that fits; not before, and not again at every further desk.
 */
class PoolOutgrowsItsLeaseTest {
    @TempDir
    Path dir;

    TestCoordinator c;
    ListAppender<ILoggingEvent> log;

    @BeforeEach
    void start() throws Exception {
        log = new ListAppender<>();
        log.start();
        logger().addAppender(log);
        // A 1 s lease: 84 quiet desks are 252 beats a second, just past the budget of 250.
        c = TestCoordinator.start(
                TestStore.H2, dir, cfg -> cfg.withLeases(Duration.ofMillis(100), Duration.ofSeconds(1)));
    }

    @AfterEach
    void stop() {
        if (c != null) c.close();
        logger().detachAppender(log);
    }

    private static Logger logger() {
        return (Logger) LoggerFactory.getLogger(LeaseSizing.class);
    }

    private List<String> warnings() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void theDeskThatTakesThePoolPastItsBudgetBringsOneWarningNamingTheLeaseThatFits() {
        for (int i = 1; i <= 83; i++) TestAgent.enroll(c, "desk-" + i, 1, 1L << 30);
        assertThat(warnings()).isEmpty();

        TestAgent.enroll(c, "desk-84", 1, 1L << 30);
        assertThat(warnings())
                .singleElement()
                .satisfies(w -> assertThat(w)
                        .contains("the pool has 84 desks", "leases.lease = 1 s", "about 252 writes a second")
                        .contains("Set leases.lease = \"10s\""));

        for (int i = 85; i <= 90; i++) TestAgent.enroll(c, "desk-" + i, 1, 1L << 30);
        assertThat(warnings()).hasSize(1);
    }
}
