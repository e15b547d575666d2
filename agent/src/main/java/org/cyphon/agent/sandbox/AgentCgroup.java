package org.cyphon.agent.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the agent itself sits in a hierarchy, read from {@code /proc/self/cgroup}, and so which
 * levels of our parent path hold nothing but jobs.
 *
 * <p>Why it matters: CPU and I/O weights only compete among siblings, so every level of the parent
 * path must be idle, or a non-idle {@code cyphon} group would compete with the owner's processes at
 * full weight however idle the jobs inside it are. But a level that contains the agent (a systemd
 * unit with delegation, say {@code system.slice/cyphon-agent.service}) is shared with other
 * software and is not ours to make idle.
 */
final class AgentCgroup {
    private AgentCgroup() {}

    /**
     * The agent's path in the v1 hierarchy of {@code controller} ("/" when at the root, or when the
     * file cannot be read: then every level is treated as ours).
     */
    static String v1Path(String controller) {
        return lines().stream()
                .map(l -> l.split(":", 3))
                .filter(f -> f.length == 3)
                .filter(f -> List.of(f[1].split(",")).contains(controller))
                .map(f -> f[2])
                .findFirst()
                .orElse("/");
    }

    /** The agent's path in the cgroup2 hierarchy (the "0::" line). */
    static String v2Path() {
        return lines().stream()
                .filter(l -> l.startsWith("0::"))
                .map(l -> l.substring(3))
                .findFirst()
                .orElse("/");
    }

    /**
     * Directories of the levels of {@code parent} under {@code root} that neither are nor contain
     * the agent's own group at {@code agentPath}, top down.
     */
    static List<Path> jobOnlyLevels(Path root, String parent, String agentPath) {
        String agent = agentPath.endsWith("/") ? agentPath : agentPath + "/";
        List<Path> out = new ArrayList<>();
        String prefix = "";
        for (String name : parent.split("/")) {
            prefix = prefix + "/" + name;
            if (!agent.startsWith(prefix + "/")) out.add(root.resolve(prefix.substring(1)));
        }
        return out;
    }

    private static List<String> lines() {
        try {
            return Files.readAllLines(Path.of("/proc/self/cgroup"));
        } catch (IOException e) {
            return List.of();
        }
    }
}
