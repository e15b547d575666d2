package org.cyphon.cli;

import org.cyphon.cli.client.CyphonClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cyphon desk MACHINE reimage [--force] [--undo]}. */
@Command(
        name = "reimage",
        mixinStandardHelpOptions = true,
        description = {
            "Replace the desk's system disk with a fresh one from the golden image; the owner's user-data disk is kept.",
            "The replaced disk is kept until the next reimage, so --undo can bring it back."
        })
public final class DeskReimageCommand extends ApiCommand {
    @ParentCommand
    DeskCommand desk;

    @Option(
            names = "--force",
            description = "Even while the guest runs (it is powered off) or is saved (the saved state is discarded).")
    boolean force;

    @Option(names = "--undo", description = "Bring back the system disk the last reimage replaced.")
    boolean undo;

    @Override
    protected int run(CyphonClient client) {
        print(DeskActionCommand.outcome(new DeskClient(client.endpoint()).act(desk.machine(), "reimage", force, undo)));
        return 0;
    }
}
