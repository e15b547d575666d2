package org.cyphon.coordinator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.cyphon.coordinator.store.StoreUrl;
import org.cyphon.coordinator.tls.TlsSettings;
import org.cyphon.core.text.Durations;

/**
 * Everything the coordinator needs to start. Built by {@link #defaults(Path)} (works on a laptop
 * with no file at all) or {@link #load(Path)} (a {@code coordinator.toml}; every key is described
 * in {@code docs/coordinator-config.md}).
 *
 * <p>The constructor checks every value and throws {@link IllegalArgumentException} naming the TOML
 * key, so a config that starts is a config that makes sense (e.g. a lease longer than a heartbeat).
 *
 * @param dataDir       tokens, logs and (by default) the H2 database live here
 * @param listen        address the HTTP server binds to
 * @param port          HTTP port; 0 picks any free port
 * @param maxBodyBytes  request bodies larger than this get 413
 * @param storeUrl      JDBC URL, or a {@code postgresql://USER@HOST/DB} URI ({@link StoreUrl}); null or blank
 *                      means the H2 file database under {@code dataDir/db}
 * @param poolSize      JDBC connections
 * @param heartbeat     how often agents are told to beat
 * @param lease         an attempt whose agent is silent this long is lost; a machine silent this long is offline
 * @param maxAttempts   attempts a job may lose before it fails, for submissions that give none
 * @param maxLogBytes   cap per stream per attempt on stored output; bytes past it are dropped
 * @param longPollMax   longest a {@code GET /agents/{m}/work} waits for work
 * @param maxCheckpointBytes largest checkpoint archive stored per job; a larger upload gets 413
 * @param historyRetention how long the desks' presence intervals are kept (the profiles learned from them stay)
 * @param fairShareHalfLife  how fast a submitter's past usage is forgotten in fair share
 * @param tls           {@code [tls]}: HTTPS whenever {@code listen} is not loopback (see {@link TlsSettings})
 * @param joinApprove   {@code join.approve}: a newly joined desk waits in {@code pending}, taking no
 *                      work, until an admin approves it ({@code cyphon machine NAME --approve})
 * @param bodyTimeout   longest a request body may stall before the request is refused (408)
 * @param privacy       who sees a job's environment and output besides its owner and admins
 * @param files         limits and lifetimes of jobs' files ({@code jobs.max_input_bytes},
 *                      {@code jobs.max_output_bytes}, {@code [files]})
 * @param power         {@code [power]}: waking sleeping desks by Wake-on-LAN
 * @param jobHistoryRetention how long a finished job stays in the jobs table before it moves to the
 *                      archive tables ({@code jobs.history_retention}); null: the default
 */
public record CoordinatorConfig(
        Path dataDir,
        String listen,
        int port,
        long maxBodyBytes,
        String storeUrl,
        String storeUser,
        String storePassword,
        int poolSize,
        Duration heartbeat,
        Duration lease,
        int maxAttempts,
        long maxLogBytes,
        Duration longPollMax,
        long maxCheckpointBytes,
        Duration historyRetention,
        Duration fairShareHalfLife,
        TlsSettings tls,
        boolean joinApprove,
        Duration bodyTimeout,
        JobPrivacy privacy,
        org.cyphon.coordinator.files.FileSettings files,
        org.cyphon.coordinator.power.PowerSettings power,
        Duration jobHistoryRetention) {

    /**
     * How long a finished job stays in the jobs table before it moves to the archive
     * ({@code jobs.history_retention}); it stays readable there ({@code cyphon job ID}).
     */
    public static final Duration DEFAULT_JOB_HISTORY_RETENTION = Duration.ofDays(30);

    public static final Duration DEFAULT_HISTORY_RETENTION = Duration.ofDays(90);
    public static final int DEFAULT_PORT = 7070;
    /**
     * A request body that stalls this long is cut off (408). Short, because a body is sent at
     * once by every client we know; a long poll's silence is its response's, not its body's.
     */
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(10);

    public static final String DEFAULT_LISTEN = "127.0.0.1";
    public static final long DEFAULT_MAX_BODY = 1L << 20;
    public static final int DEFAULT_POOL_SIZE = 8;
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(15);
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final long DEFAULT_MAX_LOG_BYTES = 16L << 20;
    public static final Duration DEFAULT_LONG_POLL_MAX = Duration.ofSeconds(30);
    public static final long DEFAULT_MAX_CHECKPOINT_BYTES = 1L << 30;

    /** The API contract caps a long poll at 60 s, so the config may not promise more. */
    static final Duration LONG_POLL_CEILING = Duration.ofSeconds(60);

    public CoordinatorConfig {
        Objects.requireNonNull(dataDir, "data_dir is required");
        require(listen != null && !listen.isBlank(), "http.listen", "must name an address, e.g. 127.0.0.1 or 0.0.0.0");
        require(port >= 0 && port <= 65535, "http.port", "must be between 0 and 65535, got " + port);
        require(
                maxBodyBytes >= 1024 && maxBodyBytes <= (1L << 30),
                "http.max_body",
                "must be between 1K and 1G, got " + maxBodyBytes + " bytes");
        require(poolSize >= 1 && poolSize <= 256, "store.pool_size", "must be between 1 and 256, got " + poolSize);
        if (storeUrl != null && !storeUrl.isBlank()) {
            StoreUrl parsed;
            try {
                parsed = StoreUrl.parse(storeUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("store.url: " + e.getMessage());
            }
            storeUrl = parsed.jdbcUrl();
            if (parsed.user() != null) {
                require(
                        storeUser == null || storeUser.isEmpty() || storeUser.equals(parsed.user()),
                        "store.user",
                        "is '" + storeUser + "' but store.url names the user '" + parsed.user() + "'");
                storeUser = parsed.user();
            }
        }
        require(heartbeat != null && heartbeat.toMillis() >= 10, "leases.heartbeat", "must be at least 10ms");
        require(
                lease != null && lease.compareTo(heartbeat) > 0,
                "leases.lease",
                "must be longer than leases.heartbeat (" + show(heartbeat) + "), got " + show(lease));
        require(
                maxAttempts >= 1 && maxAttempts <= 100,
                "jobs.max_attempts",
                "must be between 1 and 100, got " + maxAttempts);
        require(
                maxLogBytes >= 0 && maxLogBytes <= (1L << 40),
                "jobs.max_log_bytes",
                "must be between 0 and 1T, got " + maxLogBytes + " bytes");
        require(
                longPollMax != null && !longPollMax.isNegative() && longPollMax.compareTo(LONG_POLL_CEILING) <= 0,
                "jobs.long_poll_max",
                "must be between 0s and 60s, got " + show(longPollMax));
        require(
                maxCheckpointBytes >= 0 && maxCheckpointBytes <= (1L << 40),
                "jobs.max_checkpoint_bytes",
                "must be between 0 and 1T, got " + maxCheckpointBytes + " bytes");
        require(
                historyRetention != null
                        && historyRetention.compareTo(Duration.ofDays(1)) >= 0
                        && historyRetention.compareTo(Duration.ofDays(3660)) <= 0,
                "profiles.history_retention",
                "must be between 1d and 3660d, got " + show(historyRetention));
        if (fairShareHalfLife == null) fairShareHalfLife = org.cyphon.core.schedule.FairShare.DEFAULT_HALF_LIFE;
        require(
                fairShareHalfLife.toMinutes() >= 1 && fairShareHalfLife.toDays() <= 365,
                "schedule.fair_share_half_life",
                "must be between 1m and 365d, got " + show(fairShareHalfLife));
        if (tls == null) tls = TlsSettings.DEFAULT;
        if (bodyTimeout == null) bodyTimeout = DEFAULT_BODY_TIMEOUT;
        require(
                bodyTimeout.toMillis() >= 100 && bodyTimeout.compareTo(Duration.ofSeconds(60)) <= 0,
                "http.body_timeout",
                "must be between 100ms and 60s, got " + show(bodyTimeout));
        if (privacy == null) privacy = JobPrivacy.OWN;
        if (files == null) files = org.cyphon.coordinator.files.FileSettings.DEFAULT;
        if (power == null) power = org.cyphon.coordinator.power.PowerSettings.DEFAULT;
        if (jobHistoryRetention == null) jobHistoryRetention = DEFAULT_JOB_HISTORY_RETENTION;
        require(
                jobHistoryRetention.compareTo(Duration.ofHours(1)) >= 0
                        && jobHistoryRetention.compareTo(Duration.ofDays(36600)) <= 0,
                "jobs.history_retention",
                "must be between 1h and 36600d, got " + show(jobHistoryRetention));
        storeUser = storeUser == null ? "" : storeUser;
        storePassword = storePassword == null ? "" : storePassword;
    }

    /** These settings with another {@code jobs.history_retention}. */
    public CoordinatorConfig withJobHistoryRetention(Duration retention) {
        Copy c = new Copy(this);
        c.jobHistoryRetention = retention;
        return c.build();
    }

    /** These settings with other file limits. */
    public CoordinatorConfig withFiles(org.cyphon.coordinator.files.FileSettings settings) {
        Copy c = new Copy(this);
        c.files = settings;
        return c.build();
    }

    public CoordinatorConfig withHistoryRetention(Duration retention) {
        Copy c = new Copy(this);
        c.historyRetention = retention;
        return c.build();
    }

    /** {@code join.approve}: new desks wait for an admin's approval. */
    public CoordinatorConfig withJoinApprove(boolean approve) {
        Copy c = new Copy(this);
        c.joinApprove = approve;
        return c.build();
    }

    public CoordinatorConfig withBodyTimeout(Duration timeout) {
        Copy c = new Copy(this);
        c.bodyTimeout = timeout;
        return c.build();
    }

    public CoordinatorConfig withPrivacy(JobPrivacy p) {
        Copy c = new Copy(this);
        c.privacy = p;
        return c.build();
    }

    public CoordinatorConfig withLongPollMax(Duration max) {
        Copy c = new Copy(this);
        c.longPollMax = max;
        return c.build();
    }

    public CoordinatorConfig withFairShareHalfLife(Duration halfLife) {
        Copy c = new Copy(this);
        c.fairShareHalfLife = halfLife;
        return c.build();
    }

    /** The same config with {@code [tls]} replaced (tests serve HTTPS on loopback with {@code tls.always()}). */
    public CoordinatorConfig withTls(TlsSettings settings) {
        Copy c = new Copy(this);
        c.tls = settings;
        return c.build();
    }

    /** The same config listening on another address. */
    public CoordinatorConfig withListen(String address) {
        Copy c = new Copy(this);
        c.listen = address;
        return c.build();
    }

    /** Port 7070 on 127.0.0.1, an H2 file database under {@code dataDir/db}, every other key at its default. */
    public static CoordinatorConfig defaults(Path dataDir) {
        return new CoordinatorConfig(
                dataDir,
                DEFAULT_LISTEN,
                DEFAULT_PORT,
                DEFAULT_MAX_BODY,
                null,
                "",
                "",
                DEFAULT_POOL_SIZE,
                DEFAULT_HEARTBEAT,
                DEFAULT_LEASE,
                DEFAULT_MAX_ATTEMPTS,
                DEFAULT_MAX_LOG_BYTES,
                DEFAULT_LONG_POLL_MAX,
                DEFAULT_MAX_CHECKPOINT_BYTES,
                DEFAULT_HISTORY_RETENTION,
                null,
                null,
                false,
                null,
                null,
                null,
                null,
                null);
    }

    /**
     * Reads a {@code coordinator.toml}. Keys left out take their defaults; a relative
     * {@code data_dir} is resolved against the file's directory.
     *
     * @throws IllegalArgumentException naming the file, the key and the problem (unknown keys by name)
     */
    public static CoordinatorConfig load(Path tomlFile) {
        return ReadConfigFile.read(tomlFile);
    }

    public CoordinatorConfig withPort(int port) {
        Copy c = new Copy(this);
        c.port = port;
        return c.build();
    }

    /** Moves the data dir; a derived (default) database URL moves with it, an explicit one does not. */
    public CoordinatorConfig withDataDir(Path dir) {
        Copy c = new Copy(this);
        c.dataDir = dir;
        return c.build();
    }

    public CoordinatorConfig withLeases(Duration heartbeat, Duration lease) {
        Copy c = new Copy(this);
        c.heartbeat = heartbeat;
        c.lease = lease;
        return c.build();
    }

    public CoordinatorConfig withMaxLogBytes(long bytes) {
        Copy c = new Copy(this);
        c.maxLogBytes = bytes;
        return c.build();
    }

    public CoordinatorConfig withMaxAttempts(int attempts) {
        Copy c = new Copy(this);
        c.maxAttempts = attempts;
        return c.build();
    }

    public CoordinatorConfig withMaxCheckpointBytes(long bytes) {
        Copy c = new Copy(this);
        c.maxCheckpointBytes = bytes;
        return c.build();
    }

    public CoordinatorConfig withStore(String url, String user, String password) {
        Copy c = new Copy(this);
        c.storeUrl = url;
        c.storeUser = user;
        c.storePassword = password;
        return c.build();
    }

    /**
     * How long a silent leader keeps the lead among several coordinators: the lease, but never more
     * than the default 15 s. A big pool lengthens {@code leases.lease} to thin its heartbeats
     * ({@code BeatLoad}); that says how soon a dead desk's jobs are requeued and must not also make
     * the pool wait minutes for a new leader (coordinators renew their lead on threads of their own,
     * whatever the desks do).
     */
    public Duration leaderLease() {
        return lease.compareTo(DEFAULT_LEASE) < 0 ? lease : DEFAULT_LEASE;
    }

    /**
     * The JDBC URL in force. The default H2 URL keeps the database open while connections come and
     * go ({@code DB_CLOSE_ON_EXIT=FALSE}: we close it ourselves) and writes every commit to the file
     * at once ({@code WRITE_DELAY=0}), so a kill -9 right after a 201 loses nothing. An explicit H2
     * file URL without a {@code WRITE_DELAY} setting gets {@code WRITE_DELAY=0} added for the same reason.
     */
    public String jdbcUrl() {
        if (storeUrl != null && !storeUrl.isBlank()) {
            // An H2 file database given explicitly gets the same durability unless it says otherwise.
            boolean h2File = storeUrl.startsWith("jdbc:h2:file:")
                    || (storeUrl.startsWith("jdbc:h2:")
                            && !storeUrl.startsWith("jdbc:h2:mem:")
                            && !storeUrl.startsWith("jdbc:h2:tcp:")
                            && !storeUrl.startsWith("jdbc:h2:ssl:"));
            return h2File && !storeUrl.toUpperCase(Locale.ROOT).contains("WRITE_DELAY")
                    ? storeUrl + ";WRITE_DELAY=0"
                    : storeUrl;
        }
        Path file = dataDir.toAbsolutePath().normalize().resolve("db").resolve("cyphon");
        return "jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    }

    private static String show(Duration d) {
        if (d == null) return "nothing";
        return d.toMillis() < 1000 ? d.toMillis() + "ms" : Durations.format(d);
    }

    private static void require(boolean ok, String key, String problem) {
        if (!ok) throw new IllegalArgumentException(key + ": " + problem);
    }

    /** {@code [power]}: how sleeping desks are woken. */
    public CoordinatorConfig withPower(org.cyphon.coordinator.power.PowerSettings p) {
        Copy c = new Copy(this);
        c.power = p;
        return c.build();
    }

    /** Every setting, to change one or two and build again: what the {@code with...} methods start from. */
    private static final class Copy {
        Path dataDir;
        String listen;
        int port;
        long maxBodyBytes;
        String storeUrl;
        String storeUser;
        String storePassword;
        int poolSize;
        Duration heartbeat;
        Duration lease;
        int maxAttempts;
        long maxLogBytes;
        Duration longPollMax;
        long maxCheckpointBytes;
        Duration historyRetention;
        Duration fairShareHalfLife;
        TlsSettings tls;
        boolean joinApprove;
        Duration bodyTimeout;
        JobPrivacy privacy;
        org.cyphon.coordinator.files.FileSettings files;
        org.cyphon.coordinator.power.PowerSettings power;
        Duration jobHistoryRetention;

        Copy(CoordinatorConfig c) {
            dataDir = c.dataDir;
            listen = c.listen;
            port = c.port;
            maxBodyBytes = c.maxBodyBytes;
            storeUrl = c.storeUrl;
            storeUser = c.storeUser;
            storePassword = c.storePassword;
            poolSize = c.poolSize;
            heartbeat = c.heartbeat;
            lease = c.lease;
            maxAttempts = c.maxAttempts;
            maxLogBytes = c.maxLogBytes;
            longPollMax = c.longPollMax;
            maxCheckpointBytes = c.maxCheckpointBytes;
            historyRetention = c.historyRetention;
            fairShareHalfLife = c.fairShareHalfLife;
            tls = c.tls;
            joinApprove = c.joinApprove;
            bodyTimeout = c.bodyTimeout;
            privacy = c.privacy;
            files = c.files;
            power = c.power;
            jobHistoryRetention = c.jobHistoryRetention;
        }

        CoordinatorConfig build() {
            return new CoordinatorConfig(
                    dataDir,
                    listen,
                    port,
                    maxBodyBytes,
                    storeUrl,
                    storeUser,
                    storePassword,
                    poolSize,
                    heartbeat,
                    lease,
                    maxAttempts,
                    maxLogBytes,
                    longPollMax,
                    maxCheckpointBytes,
                    historyRetention,
                    fairShareHalfLife,
                    tls,
                    joinApprove,
                    bodyTimeout,
                    privacy,
                    files,
                    power,
                    jobHistoryRetention);
        }
    }
}
