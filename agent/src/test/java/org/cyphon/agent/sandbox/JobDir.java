package org.cyphon.agent.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * A job's directory for a test: a working directory every user can reach (JUnit makes temp dirs
 * 0700, which the job user "nobody" could not search), and its two output files.
 */
record JobDir(Path work, Path stdout, Path stderr) {
    static final long MEMORY = 64L << 20;

    static JobDir in(Path tempDir) throws IOException {
        Files.setPosixFilePermissions(tempDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path work = Files.createDirectory(tempDir.resolve("work"));
        return new JobDir(work, tempDir.resolve("stdout.txt"), tempDir.resolve("stderr.txt"));
    }

    /** A job running {@code sh -c script} as the agent's user. */
    LaunchSpec shell(String id, String script) {
        return spec(id, List.of("sh", "-c", script), null);
    }

    LaunchSpec spec(String id, List<String> command, String user) {
        return new LaunchSpec(
                id,
                command,
                Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", work.toString()),
                work,
                stdout,
                stderr,
                1000,
                MEMORY,
                user);
    }

    String stdoutText() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    String stderrText() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    /**
     * The number in a file the job writes (a pid, a counter); -1 while it is missing or half-written.
     * A {@code *.pid} file holds a pid in the job's own pid namespace: it is translated to the host's
     * ({@link ProcFacts#hostPid}), {@link ProcFacts#GONE} once that process has ended.
     */
    long number(String name) {
        try {
            String text = Files.readString(work.resolve(name)).trim();
            if (text.isEmpty()) return -1;
            long n = Long.parseLong(text);
            return name.endsWith(".pid") ? ProcFacts.hostPid(n, work) : n;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
