package org.cyphon.coordinator;

import java.nio.file.Path;

/** A coordinator in its own JVM, for tests that kill it: prints its URL, then serves until killed. */
public final class CoordinatorProcess {
    private CoordinatorProcess() {}

    public static void main(String[] args) throws Exception {
        Coordinator c =
                Coordinator.start(CoordinatorConfig.defaults(Path.of(args[0])).withPort(0));
        System.out.println("URL " + c.url());
        System.out.flush();
        Thread.currentThread().join(); // serves until killed: the test's kill -9 is the only way out
    }
}
