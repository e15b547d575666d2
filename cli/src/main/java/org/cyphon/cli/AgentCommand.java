package org.cyphon.cli;

import picocli.CommandLine.Command;

/** Placeholder until implemented. */
@Command(name = "agent", description = "not implemented yet")
public final class AgentCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("cyphon agent: not implemented yet");
        return 2;
    }
}
