package org.cyphon.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What one in-process CLI invocation ({@link Main#run}) did: its exit code and everything it wrote
 * to stdout and stderr. Tests run the real commands this way against real coordinators.
 */
record CliRun(int exitCode, String out, String err) {
    List<String> outLines() {
        return out.lines().toList();
    }

    /** Runs {@code cyphon ARGS...} in this JVM, capturing its output; the streams are put back after. */
    static CliRun of(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
