package org.cyphon.agent.desk;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/** Removes a test's desk cgroups (v1 cpu and cpuacct, or v2) once their QEMU has gone. */
final class CgroupRemoval {
    private CgroupRemoval() {}

    static void removeTree(String parent) throws Exception {
        for (String hierarchy : new String[] {"cpu", "cpuacct", ""}) {
            Path top = Path.of("/sys/fs/cgroup", hierarchy, parent);
            if (!Files.isDirectory(top)) continue;
            List<Path> groups;
            try (Stream<Path> walk = Files.walk(top)) {
                // Only the directories: a cgroup's control files go with it.
                groups = walk.filter(Files::isDirectory)
                        .sorted(Comparator.comparingInt(Path::getNameCount).reversed())
                        .toList();
            }
            for (Path g : groups) removeWhenEmpty(g);
        }
    }

    /** rmdir, retried: the kernel says EBUSY for a moment after the group's last process exited. */
    private static void removeWhenEmpty(Path group) {
        AtomicReference<IOException> refused = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(5))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        try {
                            Files.deleteIfExists(group);
                            return true;
                        } catch (IOException e) {
                            refused.set(e);
                            return false;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            IOException why = refused.get();
            throw new IllegalStateException("cgroup left behind: " + group + ": " + why.getMessage(), why);
        }
    }
}
