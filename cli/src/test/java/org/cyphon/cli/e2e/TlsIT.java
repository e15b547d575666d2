package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cyphon.cli.tls.ManInTheMiddle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 §2 end to end, real processes over real TLS: a coordinator serving HTTPS with the CA it
 * made itself (started under umask 000: its keys must still be 0600), an agent and the CLI that
 * pin that CA and run a job through it, and a man in the middle both refuse without sending him a
 * byte of a request.
 */
class TlsIT {
    @TempDir
    Path base;

    @Test
    void pinnedAgentAndCliRunAJobOverHttpsAndRefuseAManInTheMiddle() throws Exception {
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = base.resolve("coordinator");
        int port = TestPool.freePort();
        String url = "https://127.0.0.1:" + port;
        Path config = base.resolve("coordinator.toml");
        Files.writeString(config, """
                data_dir = "%s"
                [http]
                port = %d
                [leases]
                heartbeat = "500ms"
                lease = "4s"
                [tls]
                mode = "always"
                """.formatted(data, port));
        Path coordinatorLog = base.resolve("coordinator.log");
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "umask 000 && exec \"$@\"", "sh"));
        cmd.addAll(CyphonProcess.command("coordinator", "--config", config.toString()));
        Process coordinator = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(coordinatorLog.toFile())
                .start();
        try (ManInTheMiddle mitm = new ManInTheMiddle(base.resolve("mitm"))) {
            String pin = awaitLine(coordinatorLog, "CA fingerprint:\\s+(sha256:[0-9a-f]{64})", coordinator);
            assertThat(awaitLine(coordinatorLog, "coordinator listening on (\\S+)", coordinator))
                    .isEqualTo(url);
            for (String key : List.of("tls/ca.key", "tls/server.key")) {
                assertThat(mode(data.resolve(key))).as(key + " under umask 000").isEqualTo("rw-------");
            }
            assertThat(mode(data.resolve("tls"))).isEqualTo("rwx------");
            String admin = Files.readString(data.resolve("admin.token")).trim();

            // The agent pins the CA and joins over HTTPS.
            try (CyphonProcess agent = agent("desk-1", url, pin, data)) {
                agent.awaitLine("agent \\S+ joined", Duration.ofSeconds(60));

                // The CLI: login refuses to pin what nobody checked, and a wrong pin; pins the right one.
                Map<String, String> env =
                        Map.of("XDG_CONFIG_HOME", base.resolve("xdg").toString(), "CYPHON_TOKEN", admin);
                var unchecked = CyphonProcess.run(env, "login", url);
                assertThat(unchecked.exitCode()).as(unchecked.toString()).isEqualTo(2);
                assertThat(unchecked.stdout()).contains(pin);
                assertThat(unchecked.stderr())
                        .contains("stdin is not a terminal")
                        .contains("--ca-fingerprint " + pin);
                var wrong = CyphonProcess.run(env, "login", url, "--ca-fingerprint", "sha256:" + "ab".repeat(32));
                assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(2);
                assertThat(wrong.stderr()).contains("does not match the pinned ca_fingerprint");
                Path clientToml = base.resolve("xdg/cyphon/client.toml");
                assertThat(clientToml).doesNotExist();
                var login = CyphonProcess.run(env, "login", url, "--ca-fingerprint", pin);
                assertThat(login.exitCode()).as(login.toString()).isZero();
                assertThat(login.stdout()).contains("Logged in as admin");
                assertThat(Files.readString(clientToml)).contains("ca_fingerprint = \"" + pin + "\"");

                // Every command then goes through the pin, with nothing but the client config.
                Map<String, String> fileOnly =
                        Map.of("XDG_CONFIG_HOME", base.resolve("xdg").toString());
                var submit = CyphonProcess.run(fileOnly, "submit", "--", "echo", "hello over tls");
                assertThat(submit.exitCode()).as(submit.toString()).isZero();
                String id = submit.stdout().trim();
                var wait = CyphonProcess.run(fileOnly, "wait", id);
                assertThat(wait.exitCode()).as(wait + agent.log()).isZero();
                assertThat(CyphonProcess.run(fileOnly, "logs", id).stdout()).isEqualTo("hello over tls\n");
            }

            // The man in the middle: the CLI with the pin refuses him and sends no token.
            var cli = CyphonProcess.run(
                    Map.of(
                            "XDG_CONFIG_HOME",
                            base.resolve("xdg-mitm").toString(),
                            "CYPHON_URL",
                            mitm.url(),
                            "CYPHON_TOKEN",
                            admin,
                            "CYPHON_CA_FINGERPRINT",
                            pin),
                    "q");
            assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(2);
            assertThat(cli.stderr()).contains("does not match the pinned ca_fingerprint " + pin);
            // So does an agent pinned to the real CA: it keeps retrying, and keeps sending nothing.
            try (CyphonProcess fooled = agent("desk-2", mitm.url(), pin, data)) {
                fooled.awaitLine("does not match the pinned ca_fingerprint", Duration.ofSeconds(60));
            }
            assertThat(mitm.connections()).isGreaterThanOrEqualTo(2);
            assertThat(mitm.requestBytes())
                    .as("request bytes that reached the man in the middle")
                    .isZero();
        } finally {
            coordinator.destroy();
            coordinator.waitFor();
        }
    }

    private CyphonProcess agent(String name, String url, String pin, Path data) throws Exception {
        Path toml = base.resolve("agent-" + name + ".toml");
        Files.writeString(
                toml, """
                name = "%s"
                coordinator = "%s"
                ca_fingerprint = "%s"
                enroll_token_file = "%s"
                state_dir = "%s"
                cpus = 1
                memory = "1G"
                [policy]
                preset = "dedicated"
                """.formatted(name, url, pin, data.resolve("enroll.token"), base.resolve("agent-" + name)));
        return CyphonProcess.start(
                base.resolve("agent-" + name + ".log"), Map.of(), "agent", "--config", toml.toString());
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static String awaitLine(Path log, String regex, Process p) throws Exception {
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(regex);
        return org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            for (String line : Files.readAllLines(log)) {
                                var m = pattern.matcher(line);
                                if (m.find()) return m.group(1);
                            }
                            if (!p.isAlive()) throw new IllegalStateException("exited:\n" + Files.readString(log));
                            return null;
                        },
                        java.util.Objects::nonNull);
    }
}
