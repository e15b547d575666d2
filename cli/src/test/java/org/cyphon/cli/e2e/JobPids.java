package org.cyphon.cli.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Pids a job wrote with {@code $$} / {@code $!} are its own PID namespace's (issue 12): the host pid
 * is the process whose last NSpid entry is that number and whose cgroup is the job's
 * ({@code .../j<ID>-a<N>}). And the job sees no test temp dir under /tmp (it has its own /tmp and
 * /var/tmp): files it shares with a test live under /srv, which the walls leave as it is.
 */
final class JobPids {
    private JobPids() {}

    /** A fresh world-writable directory a job can reach; removed when the test JVM exits. */
    static Path sharedDir() throws IOException {
        Path d = Files.createDirectory(Path.of("/srv", "cyphon-it-" + UUID.randomUUID()));
        Files.setPosixFilePermissions(d, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                delete(d);
            } catch (IOException e) {
                // best effort: a leftover is empty or holds a few small files
            }
        }));
        return d;
    }

    static void delete(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
        }
        Files.deleteIfExists(dir);
    }

    /** Host pids of the job's processes that wrote {@code inner}; one that is gone is left out. */
    static List<Long> onHost(String jobId, List<Long> inner) throws IOException {
        List<Long> out = new ArrayList<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                try {
                    if (!Files.readString(p.resolve("cgroup")).contains("/j" + jobId + "-a")) continue;
                    String nspid = Files.readAllLines(p.resolve("status")).stream()
                            .filter(l -> l.startsWith("NSpid:"))
                            .findFirst()
                            .orElse("");
                    String[] f = nspid.trim().split("\\s+");
                    if (f.length >= 2 && inner.contains(Long.parseLong(f[f.length - 1]))) out.add(Long.parseLong(name));
                } catch (IOException | RuntimeException gone) {
                    // ended while we looked
                }
            }
        }
        return out;
    }
}
