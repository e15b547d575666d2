package org.cyphon.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.cyphon.agent.OwnerStatusFile;
import org.cyphon.agent.config.AgentConfig;
import org.cyphon.agent.config.AgentConfigLoader;
import org.cyphon.cli.client.Display;
import org.cyphon.core.protocol.DeskControlView;
import org.cyphon.core.protocol.DeskView;
import org.cyphon.core.protocol.DeskVmView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cyphon status}: for the person at the desk, no token needed. What Cyphon is doing on this
 * machine and why, from the file the local agent keeps ({@link OwnerStatusFile}): whether they
 * count as present, what the jobs are doing, their desk VM (where it is, who decides, what the keeper
 * does next and when), their claim of the machine, overload mode while it is on, and the actions
 * that are theirs to take at the desk.
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "What Cyphon is doing on this desk and why (for its owner; no token needed).")
public final class StatusCommand implements Callable<Integer> {
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
            AgentConfig c = config != null ? AgentConfigLoader.load(config) : AgentConfigLoader.defaults();
            Path dir = stateDir != null ? stateDir : c.stateDir();
            Optional<OwnerStatusFile> status = OwnerStatusFile.read(dir);
            if (status.isEmpty()) {
                return ApiCommand.fail(
                        "no Cyphon agent has reported on this desk yet (nothing in " + dir + "); is it running?",
                        1,
                        null);
            }
            System.out.print(describe(status.get(), Instant.now()));
            System.out.flush();
            return 0;
        } catch (Exception e) {
            return ApiCommand.fail("cannot read the agent's status: " + e.getMessage(), 2, e);
        }
    }

    /** The status as the owner reads it (package-private for tests). */
    static String describe(OwnerStatusFile s, Instant now) {
        StringBuilder out = new StringBuilder();
        out.append("desk ")
                .append(s.machine())
                .append(" (agent reported ")
                .append(Display.ago(s.at(), now))
                .append(")\n");
        if (s.overloadUntil() != null && now.isBefore(s.overloadUntil())) {
            out.append("overload mode ON until ")
                    .append(s.overloadUntil())
                    .append(": the pool borrows more of this desk for now; it ends by itself\n");
        }
        DeskView d = s.desk();
        DeskVmView vm = s.vm();
        if (vm != null) {
            out.append("your desk VM: ").append(DeskStatusText.summary(vm)).append("\n");
            DeskControlView c = vm.control();
            if (c != null && c.next() != null)
                out.append("  next: ")
                        .append(DeskStatusText.localTimes(c.next()))
                        .append("\n");
        }
        if (s.claimUntil() != null && now.isBefore(s.claimUntil())) {
            out.append("your claim: the whole machine is yours until ")
                    .append(Display.time(s.claimUntil()))
                    .append(" (cyphon claim --end gives it back sooner)\n");
        }
        if (d != null) {
            String you = !"away".equals(d.owner())
                    ? d.owner()
                    : d.nobodySeen()
                            ? "away: no one can be seen at this desk (headless)"
                            : "away for " + org.cyphon.core.text.Durations.format(Duration.ofSeconds(d.idleSeconds()));
            out.append("you: ").append(you).append("\n");
            out.append("new cluster work: ")
                    .append(d.mayStart() ? "may start here" : "held back")
                    .append(" (policy ")
                    .append(d.policy())
                    .append(")\n");
        }
        out.append("cluster jobs here: ")
                .append(s.jobs().isEmpty() ? "none" : String.join(", ", s.jobs()))
                .append("\n");
        if (d != null && !d.reasons().isEmpty()) {
            out.append("why:\n");
            d.reasons()
                    .forEach(r -> out.append("  - ")
                            .append(DeskStatusText.localTimes(r))
                            .append("\n"));
        }
        out.append("yours to do here, no token needed (")
                .append(s.owner() == null ? "root only: agent.toml names no owner" : "as " + s.owner() + " or root")
                .append("):\n");
        out.append("  cyphon claim --for 1h        I need my whole machine now: every job here freezes, none starts\n");
        out.append("  cyphon away --until DATE     away for a while: the cluster may use this desk meanwhile\n");
        out.append("  cyphon back                  back from a declared absence\n");
        if (vm != null) out.append("  cyphon desk status           your desk VM in full\n");
        return out.toString();
    }
}
