package org.cyphon.cli;

import picocli.CommandLine.Command;

/** Placeholder until implemented. */
@Command(name = "wait", description = "not implemented yet")
public final class WaitCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("cyphon wait: not implemented yet");
        return 2;
    }
}
