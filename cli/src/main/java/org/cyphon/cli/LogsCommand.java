package org.cyphon.cli;

import picocli.CommandLine.Command;

/** Placeholder until implemented. */
@Command(name = "logs", description = "not implemented yet")
public final class LogsCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("cyphon logs: not implemented yet");
        return 2;
    }
}
