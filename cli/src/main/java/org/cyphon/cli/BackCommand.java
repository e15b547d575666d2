package org.cyphon.cli;

import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.WireJson;
import org.cyphon.core.protocol.MachineView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cyphon back [MACHINE]}: ends the absence declared with {@code cyphon away}. */
@Command(
        name = "back",
        mixinStandardHelpOptions = true,
        description = {
            "End a desk's declared absence (cyphon away). MACHINE defaults to your own desk when you own exactly one."
        })
public final class BackCommand extends ApiCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MACHINE", description = "the desk; default: yours")
    String machine;

    @Option(names = "--json", description = "Print the API's MachineView JSON.")
    boolean json;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Without a token: the local agent's state directory.")
    java.nio.file.Path stateDir;

    /** Your own desk, and no coordinator configured for you: asked of the desk's agent, as its owner. */
    @Override
    protected boolean local() {
        return machine == null && LocalOwner.noCoordinator(connection, stateDir);
    }

    @Override
    protected int runLocal() {
        print(LocalAgent.ask(
                                LocalAgent.stateDir(null, stateDir),
                                new org.cyphon.agent.OwnerCall.Request("back", null, null))
                        .message()
                + "\n");
        return 0;
    }

    @Override
    protected int run(CyphonClient client) {
        MachineView m = client.back(DeskChoice.of(machine, client));
        print(
                json
                        ? WireJson.pretty(m)
                        : m.name() + ": " + (m.absence() == null ? "owner back" : AbsenceText.describe(m.absence()))
                                + "\n");
        return 0;
    }
}
