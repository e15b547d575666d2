package org.cyphon.agent.sensors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.cyphon.core.owner.ExclusiveAppsSeen;

/**
 * Applications that mean "hands off" while they run (games, video calls; BOINC's exclusive
 * applications), found among the processes every {@code sampleEvery} and reported as
 * {@code ExclusiveAppsSeen("apps", now, names)}, with the configured names that are running.
 *
 * <p>A process matches a configured name by its kernel command name ({@code /proc/PID/comm}, which
 * the kernel cuts to 15 bytes, so a longer name is compared cut the same way) or by the last part
 * of its {@code argv[0]} (which a launcher may set, and which names a Windows game under Wine,
 * {@code C:\Games\game.exe}). Case is ignored: Windows names come in any case.
 */
public final class ExclusiveAppsSensor extends SamplingSensor {

    /** TASK_COMM_LEN - 1. */
    private static final int COMM_LENGTH = 15;

    private final Path procDir;
    private final List<String> names;

    /** @param names the configured process names */
    public ExclusiveAppsSensor(Path procDir, List<String> names, Duration sampleEvery, Clock clock) {
        super("apps", sampleEvery, clock);
        this.procDir = procDir;
        this.names = List.copyOf(names);
    }

    @Override
    protected String unavailable() {
        if (names.isEmpty()) return "no exclusive applications configured";
        return Files.isDirectory(procDir) ? null : "no " + procDir;
    }

    @Override
    protected List<ExclusiveAppsSeen> takeSample() {
        return List.of(sample(clock.instant()));
    }

    @Override
    protected String describe() {
        return "watching for " + names + " every " + sampleEvery;
    }

    /** The configured names running now, each once, sorted. */
    ExclusiveAppsSeen sample(Instant now) {
        Set<String> running = new TreeSet<>();
        for (long pid : ProcessFiles.pids(procDir)) {
            String comm = ProcessFiles.comm(procDir, pid).toLowerCase(Locale.ROOT);
            if (comm.isEmpty()) continue; // gone
            List<String> argv = ProcessFiles.argv(procDir, pid);
            String argv0 =
                    argv.isEmpty() ? "" : ProcessFiles.basename(argv.get(0)).toLowerCase(Locale.ROOT);
            for (String name : names) {
                String wanted = name.toLowerCase(Locale.ROOT);
                String wantedComm = wanted.length() > COMM_LENGTH ? wanted.substring(0, COMM_LENGTH) : wanted;
                if (comm.equals(wantedComm) || argv0.equals(wanted)) running.add(name);
            }
        }
        return new ExclusiveAppsSeen("apps", now, List.copyOf(running));
    }
}
