package org.cyphon.agent.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Removes a test's cgroup sub-tree from every hierarchy, whatever state a failed test left it in:
 * thaws, kills every member, then removes groups deepest first. Written independently of the
 * sandbox's own clean-up, since that is what is under test.
 */
public final class CgroupCleanup {
    private static final List<String> HIERARCHIES =
            List.of("cpu", "cpuacct", "memory", "freezer", "blkio", "pids", "unified");

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
                for (int round = 0; round < 200 && !members(g).isEmpty(); round++) {
                    for (String pid : members(g))
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                    Thread.sleep(10);
                }
                for (int round = 0; round < 200; round++) {
                    try {
                        Files.deleteIfExists(g);
                        break;
                    } catch (IOException e) {
                        if (round == 199) failures.add(g + ": " + e.getMessage());
                        Thread.sleep(10);
                    }
                }
            }
        }
        if (!failures.isEmpty()) throw new IllegalStateException("cgroups left behind: " + failures);
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
