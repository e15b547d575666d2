package org.cyphon.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import org.cyphon.agent.Agent;
import org.cyphon.agent.config.AgentConfig;
import org.cyphon.agent.config.AgentConfigLoader;
import org.cyphon.cli.client.ClientConfig;
import org.cyphon.coordinator.Coordinator;
import org.cyphon.coordinator.CoordinatorConfig;
import org.cyphon.coordinator.StorePassword;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cyphon up}: a whole pool on this machine, in the foreground — the coordinator on its
 * embedded database (or the PostgreSQL database {@code --store} names) and N local agents — plus a
 * client config, so that {@code cyphon submit} works from another terminal with no flags.
 */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = "Run a coordinator (embedded database, or --store) and local agents in the foreground;"
                + " write a client config.")
public final class UpCommand implements Callable<Integer> {
    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "data directory (default: ${XDG_DATA_HOME:-~/.local/share}/cyphon)")
    Path data;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "7070",
            description = "HTTP port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(
            names = "--agents",
            paramLabel = "N",
            defaultValue = "1",
            description = "local agents to start (default: ${DEFAULT-VALUE})")
    int agents;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "agent.toml whose settings ([sandbox], [output], ...) the local agents use")
    Path config;

    @Option(
            names = "--store",
            paramLabel = "URL",
            description = "the database instead of the embedded one: postgresql://USER@HOST[:PORT]/DATABASE"
                    + " or a JDBC URL; the password comes from --store-password-file, $"
                    + StorePassword.ENV + " or ~/.pgpass, never from the URL")
    String store;

    @Option(
            names = "--store-password-file",
            paramLabel = "FILE",
            description = "the database password, as the file's first line (mode 0600)")
    Path storePasswordFile;

    @Override
    public Integer call() throws Exception {
        if (agents < 0 || agents > 64) {
            System.err.println("cyphon up: --agents must be between 0 and 64, got " + agents);
            return 2;
        }
        if (port < 0 || port > 65535) {
            System.err.println("cyphon up: --port must be between 0 and 65535, got " + port);
            return 2;
        }
        // Read the agent settings before starting anything, so a bad file fails fast and clean.
        AgentConfig base = config != null ? AgentConfigLoader.load(config) : AgentConfigLoader.defaults();
        if (base.desk() != null && agents > 1) {
            // Each agent would start its own copy of the owner's VM on the same golden image.
            System.err.println("cyphon up: " + config
                    + " has a [desk]: a desk VM belongs to one machine, so use --agents 1 (got " + agents + ")");
            return 2;
        }
        Path dir = (data != null ? data : defaultDataDir()).toAbsolutePath();
        CoordinatorConfig coordinatorConfig = CoordinatorConfig.defaults(dir).withPort(port);
        if (store != null || storePasswordFile != null) {
            try {
                coordinatorConfig = StoreOptions.apply(coordinatorConfig, store, storePasswordFile, System.getenv());
            } catch (IllegalArgumentException e) {
                System.err.println("cyphon up: " + e.getMessage());
                return 2;
            }
        }
        Files.createDirectories(dir);

        Foreground fg = new Foreground();
        Coordinator coordinator = Coordinator.start(coordinatorConfig);
        fg.add(coordinator);
        try {
            String user = System.getProperty("user.name");
            String userToken = userToken(dir, coordinator, user);
            Path clientConfig = ClientConfig.defaultPath();
            ClientConfig.write(clientConfig, coordinator.url(), userToken);
            ClientConfig.write(dir.resolve("client.toml"), coordinator.url(), userToken);

            String host = shortHostName();
            for (int i = 1; i <= agents; i++) {
                String name = agents == 1 ? host : host + "-" + i;
                // A personal pool's desks are the local user's, so `cyphon away` works on them as it is.
                AgentConfig c = (base.owner() != null ? base : base.withOwner(user))
                        .withName(name)
                        .withCoordinator(URI.create(coordinator.url()), coordinator.enrollToken())
                        .withStateDir(dir.resolve("agents").resolve(name));
                fg.add(Agent.start(c));
            }
            System.out.println("Cyphon is up: " + coordinator.url());
            System.out.println("  data:          " + dir);
            System.out.println("  admin token:   " + dir.resolve("admin.token"));
            System.out.println("  client config: " + clientConfig + " (user " + user + ")");
            System.out.println("  agents:        " + agents);
            System.out.println("  dashboard:     " + coordinator.url() + "/dashboard (sign in with the admin token)");
            System.out.println("In another terminal: ./cyphon submit -- echo hello   then   ./cyphon q");
            System.out.println("Ctrl-C stops the pool; queued jobs stay in "
                    + (store != null ? "the database" : dir.toString()) + " for the next start.");
            System.out.flush();
        } catch (Exception e) {
            fg.closeAll();
            throw e;
        }
        fg.await();
        return 0;
    }

    /** The local user's own token, minted once (as an admin of this personal pool) and reused. */
    private static String userToken(Path dir, Coordinator coordinator, String user)
            throws IOException, InterruptedException {
        Path file = dir.resolve("user.token");
        if (Files.isRegularFile(file)) return Files.readString(file).trim();
        String body = "{\"name\":" + jsonString(user) + ",\"admin\":true}";
        HttpResponse<String> res = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(coordinator.url() + "/api/v1/tokens"))
                                .header("Authorization", "Bearer " + coordinator.adminToken())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200 && res.statusCode() != 201) {
            throw new IOException(
                    "could not mint a token for " + user + ": HTTP " + res.statusCode() + " " + res.body());
        }
        String token = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(res.body())
                .path("token")
                .asText();
        // 0600 from its creation: a chmod afterwards would leave a moment in which others could read it.
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, token + "\n");
        return token;
    }

    private static String jsonString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static Path defaultDataDir() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("cyphon");
    }

    private static String shortHostName() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            int dot = h.indexOf('.');
            h = dot > 0 ? h.substring(0, dot) : h;
            return h.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}") ? h : "desk";
        } catch (IOException e) {
            return "desk";
        }
    }
}
