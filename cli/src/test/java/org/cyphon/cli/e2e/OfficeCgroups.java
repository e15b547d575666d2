package org.cyphon.cli.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The cgroup sub-trees an office's agents make ({@code PARENT/DESK/...} in every mounted
 * hierarchy, PARENT = {@link OfficeNetwork#cgroupParent}): removed after the office's processes
 * are gone, and those of crashed earlier runs (their JVM no longer exists) before a new office is
 * built. Only trees named with the office prefix are ever touched.
 */
final class OfficeCgroups {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static final Pattern OURS = Pattern.compile("^" + OfficeNetwork.PREFIX + "(\\d+)$");

    private OfficeCgroups() {}

    /** Removes the tree {@code parent} from every hierarchy, killing any process still in it. */
    static void remove(String parent) {
        for (Path tree : trees(parent)) {
            try {
                await().atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> removeOnce(tree));
            } catch (ConditionTimeoutException e) {
                System.err.println("office: could not remove cgroup " + tree);
            }
        }
    }

    /** Removes what runs of the office test in JVMs that no longer exist left behind. */
    static void sweepLeftovers() {
        for (Path hierarchy : hierarchies()) {
            try (Stream<Path> s = Files.list(hierarchy)) {
                for (Path p : s.toList()) {
                    Matcher m = OURS.matcher(p.getFileName().toString());
                    if (m.matches()
                            && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty())
                        remove(p.getFileName().toString());
                }
            } catch (IOException e) {
                // a hierarchy we cannot list has nothing of ours
            }
        }
    }

    private static List<Path> hierarchies() {
        List<Path> out = new java.util.ArrayList<>(List.of(ROOT));
        try (Stream<Path> s = Files.list(ROOT)) {
            s.filter(Files::isDirectory)
                    .filter(d -> Files.exists(d.resolve("cgroup.procs")))
                    .forEach(out::add);
        } catch (IOException e) {
            // no cgroups mounted: nothing to remove
        }
        return out;
    }

    private static List<Path> trees(String parent) {
        return hierarchies().stream()
                .map(h -> h.resolve(parent))
                .filter(Files::isDirectory)
                .toList();
    }

    /** One pass, deepest groups first; true once the tree is gone. */
    private static boolean removeOnce(Path tree) throws IOException {
        if (!Files.exists(tree)) return true;
        List<Path> groups;
        try (Stream<Path> s = Files.walk(tree)) {
            groups = s.filter(Files::isDirectory)
                    .sorted(Comparator.comparingInt(Path::getNameCount).reversed())
                    .toList();
        }
        for (Path g : groups) {
            Path procs = g.resolve("cgroup.procs");
            if (Files.exists(procs)) {
                for (String pid : Files.readAllLines(procs)) {
                    if (!pid.isBlank())
                        ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            try {
                Files.delete(g); // rmdir: a cgroup's files are not real files and go with it
            } catch (IOException e) {
                // busy until its last process is reaped: the next pass
            }
        }
        return !Files.exists(tree);
    }
}
