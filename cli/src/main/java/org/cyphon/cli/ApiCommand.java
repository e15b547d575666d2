package org.cyphon.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.cyphon.cli.client.CliFailure;
import org.cyphon.cli.client.CyphonClient;
import picocli.CommandLine.Mixin;

/**
 * What every client command has in common: the connection options, and turning failures into one
 * "cyphon: ..." line on stderr plus an exit code (1 refused by the coordinator, 2 could not ask),
 * so no user ever sees a stack trace. Set {@code CYPHON_DEBUG=1} to get the trace anyway.
 *
 * <p>Output goes to {@code System.out} / {@code System.err} as they are at call time, so tests
 * that replace them see everything.
 */
abstract class ApiCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;

    /**
     * Checks the command's own input before anything else, so a usage mistake is reported as such
     * even when no coordinator is configured. Throws {@link org.cyphon.cli.client.InvalidInput}.
     */
    protected void checkInput() {}

    /** Does the command's work; returns the exit code. */
    protected abstract int run(CyphonClient client) throws InterruptedException;

    /**
     * Whether this invocation asks the local agent instead of the coordinator (the desk's owner at
     * their desk, without a token); then {@link #runLocal()} runs and no coordinator is needed.
     */
    protected boolean local() {
        return false;
    }

    /** The command's work through the local agent's owner socket ({@link LocalAgent}). */
    protected int runLocal() {
        throw new IllegalStateException(getClass().getSimpleName() + " has no local form");
    }

    @Override
    public final Integer call() {
        try {
            checkInput();
            if (local()) return runLocal();
            return run(new CyphonClient(connection.endpoint(System.getenv())));
        } catch (CliFailure f) {
            return fail(f.getMessage(), f.exitCode(), f);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted", 130, e);
        } catch (RuntimeException e) {
            // A bug of ours; still one line, with a way to get the details.
            return fail("internal error: " + e + " (set CYPHON_DEBUG=1 for the stack trace)", 2, e);
        }
    }

    /** Prints "cyphon: message" on stderr after flushing stdout, so the two interleave in order. */
    static int fail(String message, int exitCode, Throwable cause) {
        System.out.flush();
        PrintStream err = System.err;
        err.println("cyphon: " + message);
        if (cause != null && System.getenv("CYPHON_DEBUG") != null) cause.printStackTrace(err);
        err.flush();
        return exitCode;
    }

    /** Prints text as-is on stdout (already line-terminated). */
    static void print(String text) {
        System.out.print(text);
        System.out.flush();
    }

    /** Prints one line on stderr: notes and summaries that are not the command's data. */
    static void note(String line) {
        System.out.flush();
        System.err.println(line);
        System.err.flush();
    }
}
