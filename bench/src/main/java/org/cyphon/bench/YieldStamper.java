package org.cyphon.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * Builds the (e) job, {@code bench/src/main/c/yield-stamper.c}, with the machine's gcc into the
 * run's scratch directory, world-executable: the agent runs it as {@code nobody}. Compiled at run
 * time rather than shipped so it is always the source in this checkout, built for this machine.
 */
final class YieldStamper {
    private YieldStamper() {}

    static Path compile(Path checkout, Path dir) throws IOException, InterruptedException {
        Path source = checkout.resolve("bench/src/main/c/yield-stamper.c");
        if (!Files.isRegularFile(source)) throw new IOException(source + " is missing");
        Path binary = dir.resolve("yield-stamper");
        Process gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-o", binary.toString(), source.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(gcc.getInputStream().readAllBytes(), UTF_8);
        if (!gcc.waitFor(120, TimeUnit.SECONDS) || gcc.exitValue() != 0)
            throw new IOException("gcc could not build " + source + ":\n" + out);
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
        return binary;
    }
}
