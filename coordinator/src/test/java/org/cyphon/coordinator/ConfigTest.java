package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** coordinator.toml: every key read, defaults for the rest, and errors that name the file and the key. */
class ConfigTest {
    @TempDir
    Path dir;

    private Path toml(String text) throws Exception {
        Path f = dir.resolve("coordinator.toml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void defaults() {
        CoordinatorConfig d = CoordinatorConfig.defaults(dir);
        assertThat(d.port()).isEqualTo(7070);
        assertThat(d.listen()).isEqualTo("127.0.0.1");
        assertThat(d.dataDir()).isEqualTo(dir);
        assertThat(d.jdbcUrl())
                .startsWith("jdbc:h2:file:" + dir.toAbsolutePath().resolve("db").resolve("cyphon"));
        assertThat(d.heartbeat()).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.lease()).isEqualTo(Duration.ofSeconds(15));
        assertThat(d.maxAttempts()).isEqualTo(5);
        assertThat(d.maxLogBytes()).isEqualTo(16L << 20);
        assertThat(d.maxBodyBytes()).isEqualTo(1L << 20);
        assertThat(d.longPollMax()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.maxCheckpointBytes()).isEqualTo(1L << 30);
        assertThat(d.withPort(0).port()).isZero();
        Path other = dir.resolve("other");
        assertThat(d.withDataDir(other).jdbcUrl()).contains(other.resolve("db").toString());
    }

    @Test
    void aBigPoolsLongLeaseDoesNotSlowTheChoiceOfANewLeader() {
        CoordinatorConfig d = CoordinatorConfig.defaults(dir);
        assertThat(d.leaderLease()).isEqualTo(d.lease());
        assertThat(d.withLeases(Duration.ofSeconds(2), Duration.ofMinutes(2)).leaderLease())
                .isEqualTo(Duration.ofSeconds(15));
        assertThat(d.withLeases(Duration.ofMillis(300), Duration.ofSeconds(3)).leaderLease())
                .isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void everyKeyIsRead() throws Exception {
        CoordinatorConfig c = CoordinatorConfig.load(toml("""
                data_dir = "/var/lib/cyphon"
                [http]
                listen = "0.0.0.0"
                port = 8080
                max_body = "2M"
                [store]
                url = "jdbc:postgresql://db/cyphon"
                user = "cy"
                password = "secret"
                pool_size = 4
                [leases]
                heartbeat = "1s"
                lease = "10s"
                [jobs]
                max_attempts = 3
                max_log_bytes = "1G"
                long_poll_max = "20s"
                max_checkpoint_bytes = "256M"
                """));
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/cyphon"));
        assertThat(c.listen()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.maxBodyBytes()).isEqualTo(2L << 20);
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://db/cyphon");
        assertThat(c.storeUser()).isEqualTo("cy");
        assertThat(c.storePassword()).isEqualTo("secret");
        assertThat(c.poolSize()).isEqualTo(4);
        assertThat(c.heartbeat()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.lease()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.maxAttempts()).isEqualTo(3);
        assertThat(c.maxLogBytes()).isEqualTo(1L << 30);
        assertThat(c.longPollMax()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.maxCheckpointBytes()).isEqualTo(256L << 20);
    }

    @Test
    void aBadCheckpointCapNamesItsKey() throws Exception {
        Path f = toml("[jobs]\nmax_checkpoint_bytes = \"2T\"\n");
        assertThatThrownBy(() -> CoordinatorConfig.load(f))
                .hasMessageContaining("jobs.max_checkpoint_bytes: must be between 0 and 1T");
        Path g = toml("[jobs]\nmax_checkpoint_bytes = \"lots\"\n");
        assertThatThrownBy(() -> CoordinatorConfig.load(g))
                .hasMessageContaining("jobs.max_checkpoint_bytes: 'lots' is not a size");
    }

    @Test
    void anEmptyFileMeansDefaultsWithARelativeDataDir() throws Exception {
        CoordinatorConfig c = CoordinatorConfig.load(toml(""));
        assertThat(c.dataDir()).isEqualTo(dir.toAbsolutePath().resolve("cyphon-data"));
        assertThat(c.port()).isEqualTo(7070);
    }

    @Test
    void powerKeysAreReadAndBadOnesNamed() throws Exception {
        CoordinatorConfig c = CoordinatorConfig.load(toml("""
                [power]
                max_awake = 4
                wake_port = 7
                wake_broadcast = ["10.1.2.255", "10.1.3.255"]
                wake_after = "2m"
                wake_timeout = "10m"
                """));
        assertThat(c.power().maxAwake()).isEqualTo(4);
        assertThat(c.power().wakePort()).isEqualTo(7);
        assertThat(c.power().wakeBroadcast()).containsExactly("10.1.2.255", "10.1.3.255");
        assertThat(c.power().wakeAfter()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.power().wakeTimeout()).isEqualTo(Duration.ofMinutes(10));
        CoordinatorConfig d = CoordinatorConfig.defaults(dir);
        assertThat(d.power().maxAwake()).isEqualTo(20);
        assertThat(d.power().wakePort()).isEqualTo(9);
        assertThat(d.power().wakeBroadcast()).isEmpty();

        assertThatThrownBy(() -> CoordinatorConfig.load(toml("[power]\nwake_broadcast = [\"office-lan\"]\n")))
                .hasMessageContaining("power.wake_broadcast: 'office-lan' is not an IPv4 address");
        assertThatThrownBy(() -> CoordinatorConfig.load(toml("[power]\nmax_awake = -1\n")))
                .hasMessageContaining("power.max_awake");
        assertThatThrownBy(() -> CoordinatorConfig.load(toml("[power]\nwake_timeout = \"1s\"\n")))
                .hasMessageContaining("power.wake_timeout: must be between 10s and 1d");
        assertThatThrownBy(() -> CoordinatorConfig.load(toml("[power]\nwake_time = \"1s\"\n")))
                .hasMessageContaining("power.wake_time")
                .hasMessageContaining("unknown key");
    }

    @Test
    void unknownKeysAreRejectedByName() throws Exception {
        Path f = toml("[http]\nprot = 7070\n");
        assertThatThrownBy(() -> CoordinatorConfig.load(f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("http.prot")
                .hasMessageContaining("unknown key");
        assertThatThrownBy(() -> CoordinatorConfig.load(toml("colour = \"red\"\n")))
                .hasMessageContaining("colour");
        assertThatThrownBy(() -> CoordinatorConfig.load(toml("[database]\nurl = \"x\"\n")))
                .hasMessageContaining("database");
    }

    @Test
    void badValuesNameTheKeyAndProblem() throws Exception {
        assertThatThrownBy(() -> CoordinatorConfig.load(toml("[leases]\nheartbeat = \"often\"\n")))
                .hasMessageContaining("leases.heartbeat")
                .hasMessageContaining("often");
        assertThatThrownBy(() -> CoordinatorConfig.load(toml("[leases]\nheartbeat = \"20s\"\nlease = \"10s\"\n")))
                .hasMessageContaining("leases.lease")
                .hasMessageContaining("longer");
        assertThatThrownBy(() -> CoordinatorConfig.load(toml("[http]\nport = 70000\n")))
                .hasMessageContaining("http.port");
        assertThatThrownBy(() -> CoordinatorConfig.load(toml("[http]\nport = \"high\"\n")))
                .hasMessageContaining("http.port");
        assertThatThrownBy(() -> CoordinatorConfig.load(toml("[jobs]\nmax_log_bytes = \"big\"\n")))
                .hasMessageContaining("jobs.max_log_bytes");
        assertThatThrownBy(() -> CoordinatorConfig.load(toml("[jobs]\nmax_attempts = 0\n")))
                .hasMessageContaining("jobs.max_attempts");
        assertThatThrownBy(() -> CoordinatorConfig.load(toml("[jobs]\nlong_poll_max = \"5m\"\n")))
                .hasMessageContaining("jobs.long_poll_max");
        assertThatThrownBy(() -> CoordinatorConfig.load(toml("[store]\nurl = \"postgres://x\"\n")))
                .hasMessageContaining("store.url");
        assertThatThrownBy(() -> CoordinatorConfig.load(toml("[http\nport = 1\n")))
                .hasMessageContaining("TOML");
        assertThatThrownBy(() -> CoordinatorConfig.load(dir.resolve("missing.toml")))
                .hasMessageContaining("missing.toml");
    }

    @Test
    void aPostgresqlUriAndAPasswordFileAreReadAndPasswordsWhereOthersReadThemAreRefused() throws Exception {
        Path secret = dir.resolve("store.password");
        Files.writeString(secret, "s3cret\nignored\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        CoordinatorConfig c = CoordinatorConfig.load(toml("""
                [store]
                url = "postgresql://cyphon@db.example:5433/pool?sslmode=require"
                password_file = "store.password"
                """));
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5433/pool?sslmode=require");
        assertThat(c.storeUser()).isEqualTo("cyphon");
        assertThat(c.storePassword()).isEqualTo("s3cret");

        // A URL is often typed on a command line, which every local user reads (ps).
        assertThatThrownBy(() -> CoordinatorConfig.load(toml("[store]\nurl = \"postgresql://cyphon:pw@db/pool\"\n")))
                .hasMessageContaining("store.url")
                .hasMessageContaining("password")
                .hasMessageNotContaining("pw@");
        assertThatThrownBy(() -> CoordinatorConfig.load(toml("[store]\nurl = \"postgresql://db/pool?password=pw\"\n")))
                .hasMessageContaining("store.url")
                .hasMessageContaining("password");
        assertThatThrownBy(
                        () -> CoordinatorConfig.load(toml("[store]\nurl = \"postgresql://a@db/pool\"\nuser = \"b\"\n")))
                .hasMessageContaining("store.user");
        assertThatThrownBy(() -> CoordinatorConfig.load(toml("[store]\nurl = \"mysql://db/pool\"\n")))
                .hasMessageContaining("store.url");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> CoordinatorConfig.load(toml("[store]\npassword_file = \"store.password\"\n")))
                .hasMessageContaining("store.password_file")
                .hasMessageContaining("chmod 600")
                .hasMessageNotContaining("s3cret");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() ->
                        CoordinatorConfig.load(toml("[store]\npassword = \"x\"\npassword_file = \"store.password\"\n")))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> CoordinatorConfig.load(toml("[store]\npassword_file = \"nope\"\n")))
                .hasMessageContaining("store.password_file")
                .hasMessageContaining("no such file");
    }

    @Test
    void aCoordinatorStartsFromALoadedFile() throws Exception {
        Path data = dir.resolve("data");
        CoordinatorConfig cfg = CoordinatorConfig.load(toml("data_dir = \"" + data + "\"\n[http]\nport = 0\n"));
        try (Coordinator c = Coordinator.start(cfg)) {
            assertThat(c.url()).startsWith("http://127.0.0.1:");
            assertThat(new ApiClient(c.url(), null).get("/api/v1/health").status())
                    .isEqualTo(200);
            assertThat(Files.readString(data.resolve("admin.token")).trim()).isEqualTo(c.adminToken());
        }
    }
}
