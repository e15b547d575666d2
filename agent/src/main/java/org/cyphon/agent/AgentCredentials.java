package org.cyphon.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;

/**
 * The agent's own identity after enrollment: machine name and secret, kept in
 * {@code STATE/credentials} (mode 0600) so a restarted agent rejoins as the same machine
 * without the enrollment token.
 */
public record AgentCredentials(String coordinator, String machine, String token) {
    static final String FILE = "credentials";

    public static Optional<AgentCredentials> load(Path stateDir) {
        Path f = stateDir.resolve(FILE);
        if (!Files.isRegularFile(f)) return Optional.empty();
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(f)) {
            p.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        String c = p.getProperty("coordinator"), m = p.getProperty("machine"), t = p.getProperty("token");
        return c == null || m == null || t == null ? Optional.empty() : Optional.of(new AgentCredentials(c, m, t));
    }

    /** Written to a temporary file and renamed, so a crash never leaves half a secret behind. */
    public void save(Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        Path tmp = stateDir.resolve(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Properties p = new Properties();
        p.setProperty("coordinator", coordinator);
        p.setProperty("machine", machine);
        p.setProperty("token", token);
        try (var out = Files.newBufferedWriter(tmp)) {
            p.store(out, "Cyphon agent identity; delete to enroll again");
        }
        Files.move(tmp, stateDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
