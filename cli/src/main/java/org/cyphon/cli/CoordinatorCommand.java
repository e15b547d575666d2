package org.cyphon.cli;

import picocli.CommandLine.Command;

/** Placeholder until implemented. */
@Command(name = "coordinator", description = "not implemented yet")
public final class CoordinatorCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("cyphon coordinator: not implemented yet");
        return 2;
    }
}
