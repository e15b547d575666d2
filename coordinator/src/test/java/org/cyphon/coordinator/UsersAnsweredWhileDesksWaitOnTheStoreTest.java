package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.cyphon.core.protocol.HeartbeatReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the store stops answering the desks' reads for a while (here another session holds an
 * exclusive lock on the machines table: a long maintenance job, a migration gone wrong), the desks'
 * heartbeats wait, and nothing else may: a user's listing is still answered. Before the desks' work
 * had lines of its own ({@code AgentWork}), every waiting beat kept its request thread and a store
 * connection, and the user's request waited for a connection until the lock went.
 *
 * <p>PostgreSQL only: H2 has no lock another session can hold that stops readers.
 */
class UsersAnsweredWhileDesksWaitOnTheStoreTest {
    /** Far more than the store's read connections (8 by default). */
    private static final int BEATS = 300;

    @TempDir
    Path dir;

    @Test
    void aUsersListingIsAnsweredWhileHundredsOfHeartbeatsWaitOnALockedMachinesTable() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(TestStore.POSTGRESQL, dir);
                ExecutorService desks = Executors.newVirtualThreadPerTaskExecutor()) {
            TestAgent desk = c.agent("desk", 2);
            desk.beat(); // its first beat is written; the next ones are answered from a read of its row
            long job = TestCoordinator.submit(c.admin(), "true");
            assertThat(c.admin().get("/api/v1/jobs").status()).isEqualTo(200); // the admin's token is known

            List<Future<HeartbeatReply>> beats = new ArrayList<>();
            try (Connection maintenance = c.store().connect()) {
                maintenance.setAutoCommit(false);
                try (Statement st = maintenance.createStatement()) {
                    st.execute("LOCK TABLE machines IN ACCESS EXCLUSIVE MODE");
                }
                for (int i = 0; i < BEATS; i++) beats.add(desks.submit(() -> desk.beat()));
                // Every beat is in by now and waits on the lock: none is answered.
                Awaitility.await()
                        .during(Duration.ofSeconds(1))
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> beats.stream().noneMatch(Future::isDone));

                long t0 = System.nanoTime();
                ApiClient.Reply listing = c.admin().get("/api/v1/jobs");
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                assertThat(listing.status()).isEqualTo(200);
                assertThat(listing.body()).contains("\"id\":" + job);
                assertThat(took)
                        .as("a user's listing while %d heartbeats wait on the locked table", BEATS)
                        .isLessThan(Duration.ofSeconds(10));
                assertThat(beats).as("the beats still wait on the lock").noneMatch(Future::isDone);
                maintenance.rollback();
            }
            // The lock gone, every beat is answered.
            for (Future<HeartbeatReply> beat : beats) {
                assertThat(beat.get(60, TimeUnit.SECONDS).leaseExpiresAt()).isNotNull();
            }
        }
    }
}
