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
            DagCommand.class,
            QueueCommand.class,
            JobCommand.class,
            LogsCommand.class,
            FetchCommand.class,
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
            CoordinatorsCommand.class,
            DeskCommand.class,
            OverloadCommand.class,
            AwayCommand.class,
            BackCommand.class,
            HistoryCommand.class,
            StatusCommand.class,
            DeskSessionCommand.class,
            ClaimCommand.class,
            LoginCommand.class,
            TokenCommand.class,
            JoinTokenCommand.class,
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
        // The agent runs for months on someone's desk: its command is parsed alone. The whole command
        // tree (every subcommand's options and help text) would stay reachable for the agent's life from
        // the caller of its call(): some 150 classes and two megabytes of heap (bench/run agent-idle).
        boolean agent = args.length > 0 && args[0].equals("agent");
        CommandLine cl = agent
                ? new CommandLine(new AgentCommand()).setCommandName("cyphon agent")
                : new CommandLine(new Main());
        // Backstop for commands that do not map their own failures: one line, no stack trace
        // (CYPHON_DEBUG=1 shows it), exit 2.
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            String name = cmd.getCommandName();
            cmd.getErr()
                    .println((name.startsWith("cyphon ") ? name : "cyphon " + name) + ": "
                            + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
            if (System.getenv("CYPHON_DEBUG") != null) ex.printStackTrace(cmd.getErr());
            return 2;
        });
        return cl.execute(agent ? java.util.Arrays.copyOfRange(args, 1, args.length) : args);
    }
}
