package org.cyphon.cli;

import picocli.CommandLine.Command;

/** Placeholder until implemented. */
@Command(name = "drain", description = "not implemented yet")
public final class DrainCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("cyphon drain: not implemented yet");
        return 2;
    }
}
