package org.cyphon.cli;

import picocli.CommandLine.Command;

/** Placeholder until implemented. */
@Command(name = "cancel", description = "not implemented yet")
public final class CancelCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("cyphon cancel: not implemented yet");
        return 2;
    }
}
