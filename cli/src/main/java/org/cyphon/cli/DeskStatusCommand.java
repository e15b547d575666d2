package org.cyphon.cli;

import java.time.Instant;
import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.WireJson;
import org.cyphon.core.protocol.DeskActionReply;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cyphon desk MACHINE status}: the desk VM as its agent reads it now. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description =
                "Show the desk VM now: state, accelerator, process, cap, memory, display, serial console, overlay.")
public final class DeskStatusCommand extends ApiCommand {
    @ParentCommand
    DeskCommand desk;

    @Option(names = "--json", description = "Print the API's DeskActionReply JSON (the desk is its 'vm').")
    boolean json;

    @Override
    protected int run(CyphonClient client) {
        DeskActionReply reply = new DeskClient(client.endpoint()).status(desk.machine);
        print(json ? WireJson.pretty(reply) : DeskStatusText.details(reply.machine(), reply.vm(), Instant.now()));
        return 0;
    }
}
