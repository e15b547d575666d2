package org.cyphon.bench;

import java.nio.file.Path;

/**
 * Sends the logs of code running inside the benchmark's JVM (the in-process coordinator) to a
 * file, so they neither flood the result table nor cost terminal I/O time inside the measurement
 * — as a separate coordinator process's logs go to its log file.
 */
final class LogToFile {
    private LogToFile() {}

    /** Must run before the first logger is created: logback reads its configuration once. */
    static void redirectLogback() {
        System.setProperty("logback.configurationFile", "logback-bench.xml");
    }

    /** Takes effect only before logback starts: with --repeat, later runs log into the first run's file. */
    static void setFile(Path file) {
        System.setProperty("cyphon.bench.log", file.toString());
    }
}
