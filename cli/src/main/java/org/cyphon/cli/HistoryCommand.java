package org.cyphon.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cyphon history ...}: the desks' presence history; the work is in the subcommands. */
@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        description = "The desks' presence history (admin).",
        subcommands = HistoryExportCommand.class)
public final class HistoryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Without a subcommand there is nothing to do: show the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }
}
