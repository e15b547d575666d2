package org.cyphon.cli;

import org.cyphon.cli.client.CyphonClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cyphon drain MACHINE}: prints "MACHINE drained" on stdout. */
@Command(
        name = "drain",
        mixinStandardHelpOptions = true,
        description = "Drain a machine (admin): it finishes its current work but takes no new jobs.")
public final class DrainCommand extends ApiCommand {
    @Parameters(paramLabel = "MACHINE", description = "The machine's name, as 'cyphon machines' lists it.")
    String machine;

    @Override
    protected int run(CyphonClient client) {
        client.drain(machine);
        print(machine + " drained\n");
        return 0;
    }
}
