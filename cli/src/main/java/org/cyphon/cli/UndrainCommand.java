package org.cyphon.cli;

import picocli.CommandLine.Command;

/** Placeholder until implemented. */
@Command(name = "undrain", description = "not implemented yet")
public final class UndrainCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("cyphon undrain: not implemented yet");
        return 2;
    }
}
