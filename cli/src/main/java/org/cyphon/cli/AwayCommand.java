package org.cyphon.cli;

import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.InvalidInput;
import org.cyphon.cli.client.WireJson;
import org.cyphon.core.protocol.MachineView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cyphon away [MACHINE] --until DATE}: the desk's owner is away (a vacation, a trip), so the
 * cluster may use the desk fully and its desk VM may stay saved until then. The owner may declare
 * their own desk, an admin any.
 */
@Command(
        name = "away",
        mixinStandardHelpOptions = true,
        description = {
            "Declare a desk's owner away until a date: the cluster may use the desk meanwhile.",
            "MACHINE defaults to your own desk when you own exactly one; at your desk with no token, the desk's agent asks for you.",
            "  cyphon away --until 2026-12-24 --reason vacation",
            "  cyphon away desk-07 --until 3d"
        })
public final class AwayCommand extends ApiCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MACHINE", description = "the desk; default: yours")
    String machine;

    @Option(
            names = "--until",
            required = true,
            paramLabel = "DATE",
            description =
                    "When the owner is back: a date (2026-12-24: the start of that day, desk time), a date-time (2026-12-24T09:00, or with Z/offset) or a duration from now (3d, 36h).")
    String until;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (shown with the machine).")
    String reason;

    @Option(names = "--json", description = "Print the API's MachineView JSON.")
    boolean json;

    @Override
    protected void checkInput() {
        if (until.isBlank())
            throw new InvalidInput("--until: give a date (2026-12-24), a date-time or a duration (3d)");
    }

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
                                new org.cyphon.agent.OwnerCall.Request("away", until, reason))
                        .message()
                + "\n");
        return 0;
    }

    @Override
    protected int run(CyphonClient client) {
        MachineView m = client.away(DeskChoice.of(machine, client), until, reason);
        print(json ? WireJson.pretty(m) : m.name() + ": " + AbsenceText.describe(m.absence()) + "\n");
        return 0;
    }
}
