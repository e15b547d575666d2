package org.cyphon.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether stderr is the journal: then lines carry no timestamp of their own (journald adds one)
 * and a syslog priority prefix instead.
 *
 * <p>{@code CYPHON_LOG_FORMAT=journal} or {@code plain} decides outright. Otherwise, as systemd
 * documents for {@code JOURNAL_STREAM}: the variable holds the device and inode of the stream
 * systemd connected to the journal, and counts only when stderr is still that stream. A program
 * started from a service inherits the variable with its stderr pointing elsewhere (a file, a
 * pipe), and must then keep its timestamps.
 */
final class LogDestination {
    static final String FORMAT_VARIABLE = "CYPHON_LOG_FORMAT";

    private LogDestination() {}

    /** The decision for this process: its environment and its file descriptor 2. */
    static boolean journal() {
        return journal(System.getenv(), stderrIdentity());
    }

    /**
     * @param env            environment variables
     * @param stderrIdentity {@code "DEV:INODE"} of stderr, or null when unknown
     */
    static boolean journal(Map<String, String> env, String stderrIdentity) {
        String forced = env.get(FORMAT_VARIABLE);
        if ("journal".equals(forced)) return true;
        if ("plain".equals(forced)) return false;
        String stream = env.get("JOURNAL_STREAM");
        return stream != null && stream.equals(stderrIdentity);
    }

    /** {@code "DEV:INODE"} of file descriptor 2 (a socket, pipe or file), as systemd formats it. */
    static String stderrIdentity() {
        return identity(Path.of("/proc/self/fd/2"));
    }

    /** {@code "DEV:INODE"} of what {@code file} is or links to; null when it cannot be read. */
    static String identity(Path file) {
        try {
            Map<String, Object> a = Files.readAttributes(file, "unix:dev,ino");
            return a.get("dev") + ":" + a.get("ino");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }
}
