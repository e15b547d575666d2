package org.cyphon.agent.sandbox;

import java.util.ArrayList;
import java.util.List;
import org.cyphon.core.protocol.WallView;
import org.cyphon.core.text.Sizes;

/**
 * The walls a {@link Sandbox} builds around each job on this desk, each built or not and why, as
 * the agent reports them ({@code cyphon machine NAME}): the namespaces ({@link JobWalls}),
 * {@code pids.max}, the disk limit and {@code network = "none"}. The job accounts and
 * {@code max_jobs} are the agent's, not the sandbox's ({@link JobAccounts#wall}).
 */
final class SandboxWalls {
    private static final String NAMESPACES = WallView.NAMESPACES;
    private static final String PIDS_MAX = WallView.PIDS_MAX;
    private static final String DISK_LIMIT = WallView.DISK_LIMIT;
    private static final String NETWORK_NONE = WallView.NETWORK_NONE;

    private SandboxWalls() {}

    /**
     * @param noPids why jobs get no {@code pids.max} here (no pids controller, no cgroup); null when they do
     */
    static List<WallView> of(SandboxSettings s, SystemTools tools, String noPids) {
        List<WallView> out = new ArrayList<>();
        String noWalls = JobWalls.missing(tools);
        if (noWalls.isEmpty()) {
            out.add(WallView.built(
                    NAMESPACES,
                    "own mount, PID and IPC namespaces: private /tmp, /var/tmp and /dev/shm, homes hidden"
                            + (s.shareHomes().isEmpty() ? "" : " but " + s.shareHomes())));
        } else {
            out.add(WallView.missing(
                    NAMESPACES, noWalls + ": jobs share the desk's /tmp, /dev/shm, homes and process table"));
        }
        out.add(
                noPids == null
                        ? WallView.built(PIDS_MAX, s.pidsMax() + " processes and threads per job")
                        : WallView.missing(PIDS_MAX, noPids + ": a job may fork without limit"));
        out.add(WallView.built(
                DISK_LIMIT,
                "work directory measured every 2 s, the job stopped past its --disk (default "
                        + Sizes.format(LaunchSpec.DEFAULT_DISK_BYTES) + ")"
                        + (tools.prlimit() == null
                                ? "; prlimit(1) missing: no single-file cap"
                                : "; one file capped by RLIMIT_FSIZE")));
        if (!noWalls.isEmpty()) {
            out.add(WallView.missing(
                    NETWORK_NONE, "no namespaces (" + noWalls + "): a --network none job fails to start here"));
        } else {
            out.add(WallView.built(
                    NETWORK_NONE,
                    "own network namespace with only loopback"
                            + (tools.ip() == null ? " (ip(8) missing: loopback left down)" : "")));
        }
        return List.copyOf(out);
    }
}
