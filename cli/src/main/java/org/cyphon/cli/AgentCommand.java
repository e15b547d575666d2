package org.cyphon.cli;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cyphon.agent.Agent;
import org.cyphon.agent.config.AgentConfig;
import org.cyphon.agent.config.AgentConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cyphon agent}: runs this desktop's agent in the foreground. */
@Command(
        name = "agent",
        mixinStandardHelpOptions = true,
        description = "Run this machine's agent in the foreground: join the pool and run jobs in the slack.",
        subcommands = AgentJoinCommand.class)
public final class AgentCommand implements Callable<Integer> {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "agent.toml (see README, Configuration); installed: $CYPHON_CONFIG_DIR/agent.toml")
    Path config;

    @Option(names = "--name", description = "machine name (overrides name)")
    String name;

    @Option(names = "--coordinator", paramLabel = "URL", description = "coordinator URL (overrides coordinator)")
    URI coordinator;

    @Option(names = "--enroll-token-file", paramLabel = "FILE", description = "file holding the enrollment token")
    Path enrollTokenFile;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "where the agent keeps its identity and job files")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        if (config == null) config = InstalledConfig.file(System.getenv(), "agent.toml");
        AgentConfig c = config != null ? AgentConfigLoader.load(config) : AgentConfigLoader.defaults();
        if (name != null) c = c.withName(name);
        if (coordinator != null || enrollTokenFile != null) {
            String token =
                    enrollTokenFile != null ? Files.readString(enrollTokenFile).trim() : c.enrollToken();
            c = c.withCoordinator(coordinator != null ? coordinator : c.coordinator(), token);
        }
        if (stateDir != null) c = c.withStateDir(stateDir);
        Foreground fg = new Foreground();
        Agent agent = Agent.start(c);
        fg.add(agent);
        System.out.println(
                "agent " + agent.machine() + " joined " + c.coordinator() + " (sandbox " + agent.sandboxKind() + ")");
        System.out.flush();
        fg.await();
        return 0;
    }
}
