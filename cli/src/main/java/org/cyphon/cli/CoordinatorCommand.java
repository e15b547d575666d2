package org.cyphon.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cyphon.coordinator.Coordinator;
import org.cyphon.coordinator.CoordinatorConfig;
import org.cyphon.coordinator.StorePassword;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cyphon coordinator}: runs the coordinator alone, in the foreground. */
@Command(
        name = "coordinator",
        mixinStandardHelpOptions = true,
        description = "Run the coordinator (HTTP API, store, scheduler) in the foreground.")
public final class CoordinatorCommand implements Callable<Integer> {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "coordinator.toml (see README, Configuration); installed: $CYPHON_CONFIG_DIR/coordinator.toml")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory (overrides data_dir of the file)")
    Path data;

    @Option(names = "--port", paramLabel = "PORT", description = "HTTP port (overrides http.port; 0 = any free port)")
    Integer port;

    @Override
    public Integer call() throws Exception {
        if (config == null && data == null) config = InstalledConfig.file(System.getenv(), "coordinator.toml");
        if (config == null && data == null) {
            System.err.println("cyphon coordinator: give --config FILE or --data DIR");
            return 2;
        }
        CoordinatorConfig c = config != null ? CoordinatorConfig.load(config) : CoordinatorConfig.defaults(data);
        if (config != null && data != null) c = c.withDataDir(data);
        if (port != null) c = c.withPort(port);
        String envPassword = System.getenv(StorePassword.ENV);
        if (envPassword != null && c.storePassword().isEmpty() && c.storeUrl() != null) {
            // For a unit's Environment= or EnvironmentFile=, when coordinator.toml holds no password.
            c = c.withStore(c.storeUrl(), c.storeUser(), envPassword);
        }
        Foreground fg = new Foreground();
        Coordinator coordinator = Coordinator.start(c);
        fg.add(coordinator);
        System.out.println("coordinator listening on " + coordinator.url());
        if (coordinator.caFingerprint() != null) {
            // What desks and users pin: cyphon login URL --ca-fingerprint ..., ca_fingerprint in agent.toml.
            System.out.println("CA fingerprint:   " + coordinator.caFingerprint());
        }
        System.out.println("admin token:      " + c.dataDir().resolve("admin.token"));
        System.out.println("enrollment token: " + c.dataDir().resolve("enroll.token"));
        System.out.flush();
        fg.await();
        return 0;
    }
}
