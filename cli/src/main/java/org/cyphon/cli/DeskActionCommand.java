package org.cyphon.cli;

import org.cyphon.cli.client.CyphonClient;
import org.cyphon.core.protocol.DeskActionReply;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * The desk actions that take no options: each waits until the agent has carried it out and prints
 * {@code MACHINE: what happened; the desk is now STATE}.
 */
public abstract class DeskActionCommand extends ApiCommand {
    @ParentCommand
    DeskCommand desk;

    /** The action's name in the API. */
    abstract String action();

    @Override
    protected int run(CyphonClient client) {
        DeskActionReply reply = new DeskClient(client.endpoint()).act(desk.machine, action(), false, false);
        print(outcome(reply));
        return 0;
    }

    /** {@code m1: paused; the desk is paused under tcg}. */
    static String outcome(DeskActionReply reply) {
        return reply.machine() + ": " + reply.message()
                + (reply.vm() == null ? "" : "; the desk is " + DeskStatusText.summary(reply.vm())) + "\n";
    }

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = "Boot the guest (a saved desk is restored instead; the overlay is made on the first start).")
    public static final class Start extends DeskActionCommand {
        @Override
        String action() {
            return "start";
        }
    }

    @Command(
            name = "stop",
            mixinStandardHelpOptions = true,
            description =
                    "Press the guest's power button and wait for it to shut down; power it off if it does not within about 75 s.")
    public static final class Stop extends DeskActionCommand {
        @Override
        String action() {
            return "stop";
        }
    }

    @Command(
            name = "pause",
            mixinStandardHelpOptions = true,
            description = "Stop the guest's CPUs (its memory stays allocated).")
    public static final class Pause extends DeskActionCommand {
        @Override
        String action() {
            return "pause";
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Continue a paused guest.")
    public static final class Resume extends DeskActionCommand {
        @Override
        String action() {
            return "resume";
        }
    }

    @Command(
            name = "save",
            mixinStandardHelpOptions = true,
            description = "Write the guest's memory and devices to disk and end the VM, freeing its memory.")
    public static final class Save extends DeskActionCommand {
        @Override
        String action() {
            return "save";
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true, description = "Bring a saved guest back as it was.")
    public static final class Restore extends DeskActionCommand {
        @Override
        String action() {
            return "restore";
        }
    }

    @Command(
            name = "poweroff",
            mixinStandardHelpOptions = true,
            description = "Pull the plug: end the VM now without asking the guest (a saved state is discarded too).")
    public static final class Poweroff extends DeskActionCommand {
        @Override
        String action() {
            return "poweroff";
        }
    }
}
