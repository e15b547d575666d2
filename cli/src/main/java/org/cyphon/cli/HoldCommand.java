package org.cyphon.cli;

import picocli.CommandLine.Command;

/** Placeholder until implemented. */
@Command(name = "hold", description = "not implemented yet")
public final class HoldCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("cyphon hold: not implemented yet");
        return 2;
    }
}
