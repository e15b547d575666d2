package org.cyphon.cli;

import org.cyphon.cli.client.CyphonClient;
import org.cyphon.core.protocol.DeskActionReply;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * The desk actions without options of their own: each waits until the agent has carried it out and
 * prints {@code MACHINE: what happened; the desk is now STATE}. Those that move the VM (start,
 * resume, restore, pause, save) hold it there against the desk keeper until {@code release}, or for
 * {@code --for DURATION}.
 */
public abstract class DeskActionCommand extends ApiCommand {
    @ParentCommand
    DeskCommand desk;

    /** The action's name in the API. */
    abstract String action();

    /** The query the action takes besides its name ({@code for}, {@code discard-saved-state}). */
    java.util.Map<String, String> query() {
        return java.util.Map.of();
    }

    @Override
    protected int run(CyphonClient client) {
        DeskActionReply reply = new DeskClient(client.endpoint()).act(desk.machine(), action(), query());
        print(outcome(reply));
        return 0;
    }

    /** An action that holds the VM where it leaves it: {@code --for} says how long. */
    abstract static class Holding extends DeskActionCommand {
        @picocli.CommandLine.Option(
                names = "--for",
                paramLabel = "DURATION",
                description = "Hold the VM there against the desk keeper for this long (2h, 1d); default: until "
                        + "'cyphon desk MACHINE release'.")
        String holdFor;

        @Override
        java.util.Map<String, String> query() {
            return holdFor == null ? java.util.Map.of() : java.util.Map.of("for", holdFor);
        }
    }

    /** {@code m1: paused; the desk is paused under tcg}. */
    static String outcome(DeskActionReply reply) {
        return reply.machine() + ": " + reply.message()
                + (reply.vm() == null ? "" : "; the desk is " + DeskStatusText.summary(reply.vm())) + "\n";
    }

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description =
                    "Boot the guest (a saved desk is restored instead; the overlay is made on the first start) and hold it running.")
    public static final class Start extends Holding {
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
            description = "Stop the guest's CPUs (its memory stays allocated) and hold it paused.")
    public static final class Pause extends Holding {
        @Override
        String action() {
            return "pause";
        }
    }

    @Command(
            name = "resume",
            mixinStandardHelpOptions = true,
            description = "Continue a paused guest and hold it running.")
    public static final class Resume extends Holding {
        @Override
        String action() {
            return "resume";
        }
    }

    @Command(
            name = "save",
            mixinStandardHelpOptions = true,
            description =
                    "Write the guest's memory and devices to disk and end the VM, freeing its memory; hold it saved.")
    public static final class Save extends Holding {
        @Override
        String action() {
            return "save";
        }
    }

    @Command(
            name = "restore",
            mixinStandardHelpOptions = true,
            description = "Bring a saved guest back as it was, and hold it running.")
    public static final class Restore extends Holding {
        @Override
        String action() {
            return "restore";
        }
    }

    @Command(
            name = "poweroff",
            mixinStandardHelpOptions = true,
            description =
                    "Pull the plug: end the VM now without asking the guest. A saved desk is refused: its saved memory is"
                            + " the owner's open work (--discard-saved-state throws it away). A failed desk becomes stopped.")
    public static final class Poweroff extends DeskActionCommand {
        @picocli.CommandLine.Option(
                names = "--discard-saved-state",
                description = "Power off a saved desk too, throwing its saved state (the guest's open work) away.")
        boolean discard;

        @Override
        String action() {
            return "poweroff";
        }

        @Override
        java.util.Map<String, String> query() {
            return discard ? java.util.Map.of("discard-saved-state", "true") : java.util.Map.of();
        }
    }

    @Command(
            name = "release",
            mixinStandardHelpOptions = true,
            description =
                    "End an administrator's hold: the agent's desk keeper takes the VM where its plan says, at once.")
    public static final class Release extends DeskActionCommand {
        @Override
        String action() {
            return "release";
        }
    }
}
