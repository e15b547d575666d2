package org.cyphon.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cyphon.agent.sandbox.DelegatedCgroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cyphon agent-stopped}: the {@code ExecStopPost=} of {@code cyphon-agent.service}. After the
 * agent stopped or died, kills jobs it left in its delegated cgroup and hands that cgroup back to
 * systemd without controllers enabled, so the next start can put the agent there (see {@link
 * DelegatedCgroup#release}). Anywhere else it does nothing and says so. Hidden: nobody types it.
 */
@Command(
        name = "agent-stopped",
        hidden = true,
        mixinStandardHelpOptions = true,
        description = "(ExecStopPost of cyphon-agent.service) clean up the agent's delegated cgroup after it stopped.")
public final class AgentStoppedCommand implements Callable<Integer> {
    @Option(names = "--cgroup-root", paramLabel = "DIR", description = "where cgroups are mounted")
    Path cgroupRoot = Path.of("/sys/fs/cgroup");

    @Override
    public Integer call() throws Exception {
        for (String done : DelegatedCgroup.releaseOwnUnit(cgroupRoot)) System.out.println("agent-stopped: " + done);
        return 0;
    }
}
