package org.cyphon.cli;

import org.cyphon.cli.client.CyphonClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cyphon undrain MACHINE}: prints "MACHINE undrained" on stdout. */
@Command(
        name = "undrain",
        mixinStandardHelpOptions = true,
        description = "Undrain a machine (admin): it takes new jobs again.")
public final class UndrainCommand extends ApiCommand {
    @Parameters(paramLabel = "MACHINE", description = "The machine's name, as 'cyphon machines' lists it.")
    String machine;

    @Override
    protected int run(CyphonClient client) {
        client.undrain(machine);
        print(machine + " undrained\n");
        return 0;
    }
}
