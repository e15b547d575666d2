package org.cyphon.cli;

import picocli.CommandLine.Command;

/** Placeholder until implemented. */
@Command(name = "release", description = "not implemented yet")
public final class ReleaseCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("cyphon release: not implemented yet");
        return 2;
    }
}
