package org.cyphon.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.cyphon.agent.OwnerCall;
import org.cyphon.cli.client.CliFailure;
import org.cyphon.cli.client.Display;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cyphon claim}: "I need my whole machine now", for the person whose desk this is, at the
 * desk, without a token: every cluster job here freezes at once and none starts until the time
 * runs out (or {@code --end}). The local agent checks that it is the desk's owner who asks.
 */
@Command(
        name = "claim",
        mixinStandardHelpOptions = true,
        description = {
            "I need my whole machine now: freeze every cluster job on this desk and keep new ones out for a while.",
            "For the desk's owner (or root), at the desk; no token needed.",
            "  cyphon claim              (for 1h)",
            "  cyphon claim --for 3h",
            "  cyphon claim --end        (give it back sooner)"
        })
public final class ClaimCommand implements Callable<Integer> {
    @Option(names = "--for", paramLabel = "DURATION", description = "How long (default 1h, at most 12h): 30m, 2h.")
    String duration;

    @Option(names = "--end", description = "End the claim now: jobs follow the desk's policy again.")
    boolean end;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "the agent's agent.toml, to find its state directory")
    Path config;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "the agent's state directory (overrides --config)")
    Path stateDir;

    @Override
    public Integer call() {
        try {
            if (end && duration != null) return ApiCommand.fail("--end and --for do not go together", 2, null);
            Path dir = LocalAgent.stateDir(config, stateDir);
            OwnerCall.Reply r = LocalAgent.ask(dir, new OwnerCall.Request(end ? "unclaim" : "claim", duration, null));
            Instant now = Instant.now();
            if (r.claimUntil() != null) {
                ApiCommand.print("the machine is yours until " + Display.time(r.claimUntil()) + " (in "
                        + org.cyphon.core.text.Durations.format(Duration.between(now, r.claimUntil()))
                        + "): every cluster job here is frozen and none starts; cyphon claim --end gives it back\n");
            } else {
                ApiCommand.print(r.message() + "\n");
            }
            return 0;
        } catch (CliFailure f) {
            return ApiCommand.fail(f.getMessage(), f.exitCode(), f);
        }
    }
}
