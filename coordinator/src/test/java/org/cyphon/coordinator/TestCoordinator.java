package org.cyphon.coordinator;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.cyphon.core.protocol.JobSubmission;
import org.cyphon.core.protocol.JobView;
import org.cyphon.core.protocol.SubmitReply;
import org.cyphon.core.protocol.TokenReply;
import org.cyphon.core.protocol.TokenRequest;

/**
 * A real coordinator for a test: port 0 on 127.0.0.1, on the store the test names (H2's file in
 * the test's temp dir, or a PostgreSQL schema of its own: {@link TestStore}), a clock the test moves, and no thread of its own doing the periodic work (lease expiry, the
 * periodic pass, checkpoint deletion): the test steps it ({@link #tick}, {@link #periodicWork}),
 * so nothing is left to wait for. Plus the clients a test needs: the admin, users, agents.
 */
final class TestCoordinator implements AutoCloseable {
    final Path dataDir;
    final MovableClock clock;
    private final CoordinatorConfig config;
    private final boolean ownThreads;
    private final TestStore.Instance store;
    private final boolean ownsStore;
    private Coordinator coordinator;

    private TestCoordinator(
            Path dataDir,
            CoordinatorConfig config,
            MovableClock clock,
            boolean ownThreads,
            TestStore.Instance store,
            boolean ownsStore)
            throws Exception {
        this.dataDir = dataDir;
        this.config = config;
        this.clock = clock;
        this.ownThreads = ownThreads;
        this.store = store;
        this.ownsStore = ownsStore;
        this.coordinator = startCoordinator(config);
    }

    /** On H2, for the tests that are about the data dir's files rather than the store. */
    static TestCoordinator start(Path dataDir) throws Exception {
        return start(TestStore.H2, dataDir);
    }

    static TestCoordinator start(TestStore store, Path dataDir) throws Exception {
        return start(store, dataDir, c -> c);
    }

    /** On a store of its own, made now and dropped when the coordinator closes. */
    static TestCoordinator start(TestStore store, Path dataDir, UnaryOperator<CoordinatorConfig> tweak)
            throws Exception {
        return start(store.create(dataDir), true, dataDir, tweak, false);
    }

    /** On a store the test made (and closes), e.g. to share it with a coordinator in another process. */
    static TestCoordinator start(TestStore.Instance store, Path dataDir, UnaryOperator<CoordinatorConfig> tweak)
            throws Exception {
        return start(store, false, dataDir, tweak, false);
    }

    /**
     * As a real deployment runs: the coordinator's own threads do its periodic work, at the moved
     * clock's time, whenever their turn comes. Only for testing those threads; everything else steps.
     */
    static TestCoordinator startWithItsOwnThreads(TestStore store, Path dataDir) throws Exception {
        return start(store.create(dataDir), true, dataDir, c -> c, true);
    }

    private static TestCoordinator start(
            TestStore.Instance store,
            boolean ownsStore,
            Path dataDir,
            UnaryOperator<CoordinatorConfig> tweak,
            boolean ownThreads)
            throws Exception {
        try {
            CoordinatorConfig config = tweak.apply(
                    store.applyTo(CoordinatorConfig.defaults(dataDir).withPort(0)));
            return new TestCoordinator(
                    dataDir,
                    config,
                    new MovableClock(Instant.parse("2026-11-24T10:00:00Z")),
                    ownThreads,
                    store,
                    ownsStore);
        } catch (Exception | Error e) {
            if (ownsStore) store.close();
            throw e;
        }
    }

    private Coordinator startCoordinator(CoordinatorConfig c) throws Exception {
        return ownThreads ? Coordinator.start(c, clock) : Coordinator.startStepped(c, clock);
    }

    /** The store this coordinator runs on, to look at its rows ({@link TestStore.Instance#connect}). */
    TestStore.Instance store() {
        return store;
    }

    Coordinator coordinator() {
        return coordinator;
    }

    String url() {
        return coordinator.url();
    }

    Duration lease() {
        return config.lease();
    }

    /** The coordinator's periodic work, which runs only when the test calls it. */
    PeriodicWork periodicWork() {
        return coordinator.periodicWork();
    }

    /**
     * Moves the clock by {@code d}, then runs each periodic step once (leases, the pass, checkpoint
     * deletion), as the coordinator's threads would have by then; returns when all are done.
     */
    void tick(Duration d) {
        clock.advance(d);
        periodicWork().runAll();
    }

    /** Stops and starts again on the same data dir, port and clock, so existing clients keep working. */
    void restart() throws Exception {
        int port = coordinator.port();
        coordinator.close();
        coordinator = startCoordinator(config.withPort(port));
    }

    /** Waits until {@code n} agents' polls for work are waiting (the {@code cyphon_long_polls_waiting} gauge). */
    void awaitLongPollsWaiting(int n) {
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> anonymous().get("/metrics").body().contains("cyphon_long_polls_waiting " + n + ".0"));
    }

    ApiClient admin() {
        return new ApiClient(url(), coordinator.adminToken());
    }

    ApiClient anonymous() {
        return new ApiClient(url(), null);
    }

    ApiClient user(String name) {
        TokenReply t = admin().post("/api/v1/tokens", new TokenRequest(name, false), TokenReply.class);
        return new ApiClient(url(), t.token());
    }

    TestAgent agent(String name, double cpus) {
        TestAgent a = TestAgent.enroll(this, name, cpus, 64L << 30);
        a.beat();
        return a;
    }

    static JobSubmission job(String... command) {
        return JobSubmission.of(List.of(command));
    }

    static long submit(ApiClient as, String... command) {
        return as.post("/api/v1/jobs", job(command), SubmitReply.class).ids().get(0);
    }

    static JobView show(ApiClient as, long id) {
        return as.get("/api/v1/jobs/" + id, JobView.class);
    }

    @Override
    public void close() {
        try {
            coordinator.close();
        } finally {
            if (ownsStore) store.close();
        }
    }
}
