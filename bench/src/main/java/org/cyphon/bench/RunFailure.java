package org.cyphon.bench;

import java.nio.file.Path;

/** How a benchmark reports a run that broke: what and where, and where its logs are. */
final class RunFailure {
    private RunFailure() {}

    static void report(String benchmark, Exception e, Path kept) {
        // Some exceptions carry no message (a ConnectException, an NPE): the class and the stack are the diagnosis.
        System.err.println("bench/run " + benchmark + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        if (!(e instanceof java.io.IOException) || e.getMessage() == null) e.printStackTrace(System.err);
        System.err.println("bench/run " + benchmark + ": logs kept in " + kept);
    }
}
