package org.cyphon.cli;

import picocli.CommandLine.Command;

/** Placeholder until implemented. */
@Command(name = "submit", description = "not implemented yet")
public final class SubmitCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("cyphon submit: not implemented yet");
        return 2;
    }
}
