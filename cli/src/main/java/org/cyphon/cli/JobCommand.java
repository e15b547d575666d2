package org.cyphon.cli;

import picocli.CommandLine.Command;

/** Placeholder until implemented. */
@Command(name = "job", description = "not implemented yet")
public final class JobCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("cyphon job: not implemented yet");
        return 2;
    }
}
