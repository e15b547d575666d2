package org.cyphon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The PostgreSQL server's processes on this machine (postmaster, background writers, one backend
 * per connection), so a benchmark on PostgreSQL can say what the database itself cost, apart from
 * the coordinator and from other people's work.
 */
final class PostgresProcesses {
    private PostgresProcesses() {}

    /** Every process whose command name is {@code postgres}, now. */
    static List<Long> pids() throws IOException {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                try {
                    if (Files.readString(p.resolve("comm")).strip().equals("postgres")) out.add(Long.parseLong(name));
                } catch (IOException gone) {
                    // exited while we looked: not part of the window
                }
            }
        }
        return out;
    }
}
