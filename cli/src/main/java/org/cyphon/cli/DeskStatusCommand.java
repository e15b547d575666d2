package org.cyphon.cli;

import java.nio.file.Path;
import java.time.Instant;
import org.cyphon.agent.OwnerCall;
import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.WireJson;
import org.cyphon.core.protocol.DeskActionReply;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cyphon desk MACHINE status}: the desk VM as its agent reads it now (an admin's token, or
 * the desk owner's own). Without MACHINE, this desk's VM for its owner at the desk, from the local
 * agent's owner socket, with no token.
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Show the desk VM now: state, who decides where it goes, what comes next, accelerator, process, cap, memory,"
                    + " display, serial console, overlay.",
            "Without MACHINE: your own desk, asked of the local agent (you must be its owner, or root)."
        })
public final class DeskStatusCommand extends ApiCommand {
    @ParentCommand
    DeskCommand desk;

    @Option(names = "--json", description = "Print the API's DeskActionReply JSON (the desk is its 'vm').")
    boolean json;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Without MACHINE: the agent's agent.toml, to find its state directory")
    Path config;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Without MACHINE: the agent's state directory (overrides --config)")
    Path stateDir;

    @Override
    protected boolean local() {
        return desk.machine == null;
    }

    @Override
    protected int runLocal() {
        OwnerCall.Reply r =
                LocalAgent.ask(LocalAgent.stateDir(config, stateDir), new OwnerCall.Request("desk-status", null, null));
        DeskActionReply reply = new DeskActionReply(0, "this desk", "status", r.message(), r.vm());
        print(json ? WireJson.pretty(reply) : DeskStatusText.details("this desk", r.vm(), Instant.now()));
        return 0;
    }

    @Override
    protected int run(CyphonClient client) {
        DeskActionReply reply = new DeskClient(client.endpoint()).status(desk.machine());
        print(json ? WireJson.pretty(reply) : DeskStatusText.details(reply.machine(), reply.vm(), Instant.now()));
        return 0;
    }
}
