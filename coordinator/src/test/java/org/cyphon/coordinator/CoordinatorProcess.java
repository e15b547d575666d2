package org.cyphon.coordinator;

import java.nio.file.Path;

/**
 * A coordinator in its own JVM, for tests that kill it: prints its URL, then serves until killed.
 * Arguments: DATA_DIR [JDBC_URL USER PASSWORD_FILE] (without a URL: H2's file under DATA_DIR).
 */
public final class CoordinatorProcess {
    private CoordinatorProcess() {}

    public static void main(String[] args) throws Exception {
        CoordinatorConfig config = CoordinatorConfig.defaults(Path.of(args[0])).withPort(0);
        if (args.length == 4) config = config.withStore(args[1], args[2], StorePassword.fromFile(Path.of(args[3])));
        Coordinator c = Coordinator.start(config);
        System.out.println("URL " + c.url());
        System.out.flush();
        Thread.currentThread().join(); // serves until killed: the test's kill -9 is the only way out
    }
}
