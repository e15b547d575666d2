package org.cyphon.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one {@code cyphon} executable: every subcommand is registered here. */
@Command(
        name = "cyphon",
        mixinStandardHelpOptions = true,
        version = "cyphon 0.1.0",
        description = "Harvests idle office desktops into a cluster without the people at the desks noticing.",
        subcommands = {
            UpCommand.class,
            CoordinatorCommand.class,
            AgentCommand.class,
            AgentStoppedCommand.class,
            SubmitCommand.class,
            QueueCommand.class,
            JobCommand.class,
            LogsCommand.class,
            WaitCommand.class,
            CancelCommand.class,
            HoldCommand.class,
            ReleaseCommand.class,
            MachinesCommand.class,
            MachineCommand.class,
            DrainCommand.class,
            UndrainCommand.class,
            LabelCommand.class,
            UnlabelCommand.class,
            UsersCommand.class,
            DeskCommand.class,
            OverloadCommand.class,
            AwayCommand.class,
            BackCommand.class,
            HistoryCommand.class,
            StatusCommand.class,
            TokenCommand.class,
            SimulateCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        // Backstop for commands that do not map their own failures: one line, no stack trace
        // (CYPHON_DEBUG=1 shows it), exit 2.
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr()
                    .println("cyphon " + cmd.getCommandName() + ": "
                            + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
            if (System.getenv("CYPHON_DEBUG") != null) ex.printStackTrace(cmd.getErr());
            return 2;
        });
        return cl.execute(args);
    }
}
