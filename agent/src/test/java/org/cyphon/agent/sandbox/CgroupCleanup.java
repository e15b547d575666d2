package org.cyphon.agent.sandbox;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Removes a test's cgroup sub-tree from every hierarchy, whatever state a failed test left it in:
 * thaws, kills every member, then removes groups deepest first. Written independently of the
 * sandbox's own clean-up, since that is what is under test.
 */
public final class CgroupCleanup {
    private static final List<String> HIERARCHIES =
            List.of("cpu", "cpuacct", "memory", "freezer", "blkio", "pids", "devices", "unified");

    private CgroupCleanup() {}

    public static void removeEverywhere(Path cgroupRoot, String parent) throws Exception {
        List<String> failures = new ArrayList<>();
        for (String h : HIERARCHIES) {
            Path top = cgroupRoot.resolve(h).resolve(parent);
            if (!Files.isDirectory(top)) continue;
            List<Path> groups;
            try (Stream<Path> walk = Files.walk(top)) {
                groups = walk.filter(Files::isDirectory)
                        .sorted(Comparator.comparingInt(Path::getNameCount).reversed())
                        .toList();
            }
            for (Path g : groups) {
                write(g.resolve("freezer.state"), "THAWED");
                write(g.resolve("cgroup.freeze"), "0");
                try {
                    patiently().until(() -> {
                        List<String> left = members(g);
                        for (String pid : left)
                            ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                        return left.isEmpty();
                    });
                } catch (ConditionTimeoutException stillThere) {
                    // the removal below fails and says why
                }
                // rmdir, retried: the kernel says EBUSY for a moment after the last member left.
                AtomicReference<IOException> refused = new AtomicReference<>();
                try {
                    patiently().until(() -> {
                        try {
                            Files.deleteIfExists(g);
                            return true;
                        } catch (IOException e) {
                            refused.set(e);
                            return false;
                        }
                    });
                } catch (ConditionTimeoutException e) {
                    failures.add(g + ": " + refused.get().getMessage());
                }
            }
        }
        if (!failures.isEmpty()) throw new IllegalStateException("cgroups left behind: " + failures);
    }

    private static org.awaitility.core.ConditionFactory patiently() {
        return await().atMost(Duration.ofSeconds(2)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
    }

    private static List<String> members(Path group) throws IOException {
        Path procs = group.resolve("cgroup.procs");
        if (!Files.exists(procs)) return List.of();
        return Files.readAllLines(procs).stream().filter(s -> !s.isBlank()).toList();
    }

    private static void write(Path file, String value) {
        if (!Files.exists(file)) return;
        try {
            Files.writeString(file, value, java.nio.file.StandardOpenOption.WRITE);
        } catch (IOException ignored) {
            // root groups have no freeze file; a gone group needs no thaw
        }
    }
}
