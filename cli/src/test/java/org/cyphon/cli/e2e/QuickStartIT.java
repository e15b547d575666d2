package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cyphon.coordinator.OnEveryStore;
import org.cyphon.coordinator.StorePassword;
import org.cyphon.coordinator.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick start: `cyphon up` in one terminal, `cyphon submit -- echo hello` with no flags
 * in another. On PostgreSQL as the README says to point a pool at a server: {@code cyphon up --store
 * postgresql://USER@HOST/DB} with the password in {@code CYPHON_STORE_PASSWORD}.
 */
@OnEveryStore
class QuickStartIT {
    @TempDir
    Path tmp;

    private final TestStore store;

    QuickStartIT(TestStore store) {
        this.store = store;
    }

    @Test
    void upThenSubmitWithNoFlagsRunsTheJob() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port = TestPool.freePort();
        Map<String, String> env =
                Map.of("XDG_CONFIG_HOME", tmp.resolve("config").toString());
        Path data = tmp.resolve("data");
        List<String> args = new ArrayList<>(List.of("up", "--data", data.toString(), "--port", Integer.toString(port)));
        Map<String, String> upEnv = new HashMap<>(env);
        try (TestStore.Instance db = store.create(data)) {
            if (!db.isH2()) {
                args.addAll(List.of("--store", db.postgresUri()));
                upEnv.put(StorePassword.ENV, db.password());
            }
            upThenSubmit(env, data, upEnv, args);
        }
    }

    private void upThenSubmit(Map<String, String> env, Path data, Map<String, String> upEnv, List<String> args)
            throws Exception {
        try (CyphonProcess up = CyphonProcess.start(tmp.resolve("up.log"), upEnv, args.toArray(String[]::new))) {
            up.awaitLine("Cyphon is up: (http://\\S+)", Duration.ofSeconds(90));

            assertThat(Files.getPosixFilePermissions(data.resolve("admin.token")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(tmp.resolve("config/cyphon/client.toml")).exists();

            var submit = CyphonProcess.run(env, "submit", "--", "echo", "hello");
            assertThat(submit.exitCode()).as(submit.toString()).isZero();
            String id = submit.stdout().trim();
            assertThat(id).matches("\\d+");

            var wait = CyphonProcess.run(env, "wait", id);
            assertThat(wait.exitCode()).as(wait + up.log()).isZero();
            var logs = CyphonProcess.run(env, "logs", id);
            assertThat(logs.stdout()).isEqualTo("hello\n");

            var q = CyphonProcess.run(env, "q", "--all");
            assertThat(q.stdout()).contains(id).contains("echo").contains("completed");
            var machines = CyphonProcess.run(env, "machines");
            assertThat(machines.exitCode()).isZero();
            assertThat(machines.stdout()).contains("online");

            // The desk view: on this machine no sensor sees a person, so the desk is headless and away.
            String name = machines.stdout()
                    .lines()
                    .skip(1)
                    .findFirst()
                    .orElseThrow()
                    .trim()
                    .split("\\s+")[0];
            var machine = CyphonProcess.run(env, "machine", name);
            assertThat(machine.exitCode()).as(machine.toString()).isZero();
            assertThat(machine.stdout())
                    .contains("owner:")
                    .contains("new work:")
                    .contains("sensors:")
                    .contains("evdev");
        }
    }
}
