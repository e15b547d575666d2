package org.cyphon.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cyphon desk MACHINE ACTION}: the owner's desk VM on MACHINE, as an administrator runs it.
 * Every action goes to the coordinator (admin token), which has the machine's agent carry it out
 * on the hypervisor, so it works when the guest OS is hung or dead; each is in the desk audit log
 * (reads excepted). The desk's owner may read its status with their own token, or at the desk
 * with no token at all ({@code cyphon desk status}, no MACHINE: the local agent's owner socket).
 */
@Command(
        name = "desk",
        mixinStandardHelpOptions = true,
        description = {
            "Run a machine's desk VM (admin): the owner's own OS as a guest.",
            "Every action is carried out by the machine's agent on the hypervisor (it works when the guest is hung) "
                    + "and recorded in the desk audit log.",
            "start, resume, restore, pause and save hold the VM where they leave it, against the agent's desk keeper, "
                    + "until 'release' (or for --for DURATION).",
            "'cyphon desk status' without MACHINE: your own desk's VM, at the desk, no token needed."
        },
        subcommands = {
            DeskStatusCommand.class,
            DeskActionCommand.Start.class,
            DeskActionCommand.Stop.class,
            DeskActionCommand.Pause.class,
            DeskActionCommand.Resume.class,
            DeskActionCommand.Save.class,
            DeskActionCommand.Restore.class,
            DeskReimageCommand.class,
            DeskScreenshotCommand.class,
            DeskActionCommand.Poweroff.class,
            DeskActionCommand.Release.class,
            DeskAuditCommand.class
        })
public final class DeskCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "MACHINE",
            description =
                    "The machine's name, as 'cyphon machines' lists it (status only: leave it out for this desk).")
    String machine;

    @Spec
    CommandSpec spec;

    /** The machine named; an action other than a local status needs one. */
    String machine() {
        if (machine == null)
            throw new org.cyphon.cli.client.InvalidInput(
                    "name the MACHINE: 'cyphon desk MACHINE ACTION' (only 'cyphon desk status' works without one)");
        return machine;
    }

    /** A machine but no action: show the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine()
                .getErr()
                .println("cyphon desk: name an action after the machine, e.g. 'cyphon desk "
                        + (machine == null ? "MACHINE" : machine) + " status'");
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }
}
