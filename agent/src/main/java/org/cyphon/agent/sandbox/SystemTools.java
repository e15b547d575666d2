package org.cyphon.agent.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Absolute paths of the util-linux and coreutils programs the sandbox runs, found once at agent
 * start. They are called by absolute path because the job's environment (and so its PATH) is the
 * job's, not ours. An absent optional tool is {@code null}; {@link #missing()} names them.
 */
record SystemTools(
        Path sh,
        Path setsid,
        Path chrt,
        Path renice,
        Path ionice,
        Path prlimit,
        Path setpriv,
        Path kill,
        Path getent,
        Path env,
        Path unshare,
        Path mount,
        Path useradd,
        Path ip,
        Path ipcrm) {

    static SystemTools find() {
        return new SystemTools(
                locate("sh").orElse(Path.of("/bin/sh")),
                locate("setsid").orElse(null),
                locate("chrt").orElse(null),
                locate("renice").orElse(null),
                locate("ionice").orElse(null),
                locate("prlimit").orElse(null),
                locate("setpriv").orElse(null),
                locate("kill").orElse(null),
                locate("getent").orElse(null),
                locate("env").orElse(null),
                locate("unshare").orElse(null),
                locate("mount").orElse(null),
                locate("useradd").orElse(null),
                locate("ip").orElse(null),
                locate("ipcrm").orElse(null));
    }

    /** Names of the tools not found, each with what is lost without it. */
    List<String> missing() {
        List<String> out = new ArrayList<>();
        if (setsid == null) out.add("setsid (jobs cannot be started)");
        if (env == null) out.add("env (jobs cannot be started)");
        if (chrt == null) out.add("chrt (no SCHED_IDLE)");
        if (renice == null) out.add("renice (no nice 19)");
        if (ionice == null) out.add("ionice (no idle I/O class)");
        if (prlimit == null) out.add("prlimit (a job may leave SCHED_IDLE)");
        if (setpriv == null) out.add("setpriv (jobs cannot run as another user)");
        if (kill == null) out.add("kill (nice-only freeze impossible)");
        return out;
    }

    private static Optional<Path> locate(String name) {
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) dirs.addAll(List.of(path.split(":")));
        dirs.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
        for (String dir : dirs) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }
}
