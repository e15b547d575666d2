package org.cyphon.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cyphon desk MACHINE ACTION}: the owner's desk VM on MACHINE, as an administrator runs it.
 * Every action goes to the coordinator (admin token), which has the machine's agent carry it out
 * on the hypervisor, so it works when the guest OS is hung or dead; each is in the desk audit log.
 */
@Command(
        name = "desk",
        mixinStandardHelpOptions = true,
        description = {
            "Run a machine's desk VM (admin): the owner's own OS as a guest.",
            "Every action is carried out by the machine's agent on the hypervisor (it works when the guest is hung) "
                    + "and recorded in the desk audit log."
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
            DeskAuditCommand.class
        })
public final class DeskCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MACHINE", description = "The machine's name, as 'cyphon machines' lists it.")
    String machine;

    @Spec
    CommandSpec spec;

    /** A machine but no action: show the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine()
                .getErr()
                .println("cyphon desk: name an action after the machine, e.g. 'cyphon desk " + machine + " status'");
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }
}
