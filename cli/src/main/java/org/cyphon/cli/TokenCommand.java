package org.cyphon.cli;

import picocli.CommandLine.Command;

/** Placeholder until implemented. */
@Command(name = "token", description = "not implemented yet")
public final class TokenCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("cyphon token: not implemented yet");
        return 2;
    }
}
