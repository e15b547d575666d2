package org.cyphon.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.cyphon.core.protocol.JoinLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cyphon agent join LINE}: on a desk, turns the line {@code cyphon join-token} printed into
 * this machine's agent.toml ({@code coordinator}, {@code enroll_token}, and {@code ca_fingerprint}
 * when the line pins a CA), written 0600 and atomically, never over a different config without
 * {@code --force}. The agent enrolls with it at its next start ({@code --start}: now, in the
 * foreground); after that it uses its own credential and the spent secret is nothing to anyone.
 */
@Command(
        name = "join",
        mixinStandardHelpOptions = true,
        description = "Write this desk's agent.toml from a join line (cyphon join-token), then enroll.")
public final class AgentJoinCommand implements Callable<Integer> {
    static final Path DEFAULT_CONFIG = Path.of("/etc/cyphon/agent.toml");

    @Parameters(index = "0", paramLabel = "LINE", description = "the line cyphon join-token printed (cyphon-join:...)")
    String line;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "where to write agent.toml (default: $CYPHON_CONFIG_DIR/agent.toml, else /etc/cyphon/agent.toml)")
    Path config;

    @Option(names = "--name", description = "the machine's name in the pool (default: the host name)")
    String name;

    @Option(
            names = "--force",
            description = "replace an existing, different agent.toml (the old one is kept as FILE.old)")
    boolean force;

    @Option(names = "--start", description = "start the agent in the foreground now (it enrolls at once)")
    boolean start;

    @Override
    public Integer call() throws Exception {
        JoinLine join;
        try {
            join = JoinLine.parse(line);
        } catch (IllegalArgumentException e) {
            return ApiCommand.fail(e.getMessage(), 2, e);
        }
        if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}"))
            return ApiCommand.fail(
                    "--name must be letters, digits, '.', '_' and '-' (at most 63), got " + name, 2, null);
        Path file = config != null ? config : installedOrDefault();
        String text = agentToml(join, name);
        if (Files.exists(file)) {
            String old = Files.readString(file, StandardCharsets.UTF_8);
            if (setsNothing(old)) {
                // The package's commented defaults: ours go on top, the documentation stays below.
                text = text + "\n" + old;
                old = text;
            }
            if (!old.equals(text) && !force) {
                return ApiCommand.fail(
                        file + " exists and says something else; keep it, or pass --force to replace it"
                                + " (the old one is kept as " + file.getFileName() + ".old)",
                        1,
                        null);
            }
            if (!old.equals(text)) writeOwnerOnly(file.resolveSibling(file.getFileName() + ".old"), old);
        }
        writeOwnerOnly(file, text);
        ApiCommand.note("wrote " + file + " (mode 0600): coordinator " + join.coordinator()
                + (join.caFingerprint() == null ? "" : ", CA " + join.caFingerprint()));
        if (!start) {
            ApiCommand.note("the agent enrolls when it starts: systemctl enable --now cyphon-agent"
                    + " (or in the foreground: cyphon agent --config " + file + ")");
            return 0;
        }
        AgentCommand agent = new AgentCommand();
        agent.config = file;
        return agent.call();
    }

    /** The agent.toml a join line makes: what it says, nothing else (every other key keeps its default). */
    static String agentToml(JoinLine join, String name) {
        StringBuilder t = new StringBuilder();
        t.append("# Written by cyphon agent join at ")
                .append(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                .append(". Every other key is described in the README, \"Configuration\".\n");
        if (name != null) t.append("name = ").append(quoted(name)).append('\n');
        t.append("coordinator = ").append(quoted(join.coordinator().toString())).append('\n');
        // Used once, at the first enrollment; after that the agent proves who it is with its own credential.
        t.append("enroll_token = ").append(quoted(join.secret())).append('\n');
        if (join.caFingerprint() != null)
            t.append("ca_fingerprint = ").append(quoted(join.caFingerprint())).append('\n');
        return t.toString();
    }

    /** Whether a config sets no key: only comments, blank lines and table headers (the shipped defaults). */
    static boolean setsNothing(String toml) {
        return toml.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#") || l.startsWith("["));
    }

    private static Path installedOrDefault() {
        Path installed = InstalledConfig.file(System.getenv(), "agent.toml");
        return installed != null ? installed : DEFAULT_CONFIG;
    }

    /** TOML basic string; a join line's parts hold no quote or backslash, but a URL might. */
    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Created 0600 from the start (never readable by others, whatever the umask), then renamed into place. */
    static void writeOwnerOnly(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(
                dir,
                "." + file.getFileName() + ".",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(
                    tmp, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
