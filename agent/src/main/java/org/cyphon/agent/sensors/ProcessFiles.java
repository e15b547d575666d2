package org.cyphon.agent.sensors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading processes from {@code /proc} (proc(5)). Processes come and go while they are read, so
 * every read of a process that vanished answers "nothing" instead of failing: a process that ended
 * a moment ago is simply not there.
 */
final class ProcessFiles {

    private ProcessFiles() {}

    /** The pids of the processes now, in no particular order. */
    static List<Long> pids(Path procDir) {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(procDir)) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) pids.add(Long.parseLong(name));
            }
        } catch (IOException e) {
            // No /proc: no processes to report.
        }
        return pids;
    }

    /** {@code argv} from {@code cmdline} (NUL-separated); empty for kernel threads and vanished processes. */
    static List<String> argv(Path procDir, long pid) {
        return nulSeparated(read(procDir.resolve(Long.toString(pid)).resolve("cmdline")));
    }

    /** The kernel's command name ({@code comm}, at most 15 bytes), or "" when the process is gone. */
    static String comm(Path procDir, long pid) {
        return read(procDir.resolve(Long.toString(pid)).resolve("comm")).strip();
    }

    /** The process's environment at exec time; empty when unreadable or gone. */
    static Map<String, String> environ(Path procDir, long pid) {
        Map<String, String> env = new HashMap<>();
        for (String entry :
                nulSeparated(read(procDir.resolve(Long.toString(pid)).resolve("environ")))) {
            int eq = entry.indexOf('=');
            if (eq > 0) env.putIfAbsent(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return env;
    }

    /**
     * A path as the process sees it. The agent may run in its own mount namespace (systemd's
     * {@code PrivateTmp=} gives it an empty /tmp); {@code /proc/PID/root} is the process's root, so
     * through it root reads the X socket and authority files that the process's /tmp holds.
     */
    static Path seenBy(Path procDir, long pid, String absolutePath) {
        return procDir.resolve(Long.toString(pid)).resolve("root").resolve(absolutePath.replaceFirst("^/+", ""));
    }

    /** The last part of a path as Unix or Windows (a game under Wine) writes it. */
    static String basename(String path) {
        int cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return path.substring(cut + 1);
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException | SecurityException e) {
            return "";
        }
    }

    private static List<String> nulSeparated(String text) {
        List<String> out = new ArrayList<>();
        for (String part : text.split("\0")) {
            if (!part.isEmpty()) out.add(part);
        }
        return out;
    }
}
