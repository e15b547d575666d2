package org.cyphon.cli;

import picocli.CommandLine.Command;

/** Placeholder until implemented. */
@Command(name = "machines", description = "not implemented yet")
public final class MachinesCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("cyphon machines: not implemented yet");
        return 2;
    }
}
