package org.cyphon.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One finished command: what it printed and how it ended. */
record Run(List<String> command, int exitCode, String stdout, String stderr) {

    /** Runs {@code command} to its end (at most {@code timeoutSeconds}) with stdin from /dev/null. */
    static Run of(Map<String, String> env, long timeoutSeconds, List<String> command)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("cyphon-it", ".out");
        Path err = Files.createTempFile("cyphon-it", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IOException("timed out after " + timeoutSeconds + " s: " + command);
            }
            return new Run(
                    command,
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static Run of(String... command) throws IOException, InterruptedException {
        return of(Map.of(), 600, List.of(command));
    }

    /** This run, which must have exited 0. */
    Run ok() {
        if (exitCode != 0) throw new AssertionError("failed: " + this);
        return this;
    }

    @Override
    public String toString() {
        return String.join(" ", command) + " -> exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
    }
}
