package org.cyphon.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One short {@code cyphon} client command run to its end as a user runs it (its own JVM, the
 * launcher's flags), timed from start to exit. The URL and token go in the environment, as
 * {@code CYPHON_URL} / {@code CYPHON_TOKEN}: never on a command line.
 */
final class CyphonCommand {
    /** @param stdoutLines lines it printed on stdout (kept in a file: 100,000 ids are printed) */
    record Result(int exitCode, long wallNanos, long stdoutLines, String stdoutTail, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private CyphonCommand() {}

    static Result run(CyphonLauncher launcher, String url, String token, Path scratch, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = launcher.command(args[0], List.of(), java.util.Arrays.copyOfRange(args, 1, args.length));
        Path out = Files.createTempFile(scratch, "cli-", ".out");
        Path err = Files.createTempFile(scratch, "cli-", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        env.put("CYPHON_URL", url);
        env.put("CYPHON_TOKEN", token);
        env.put("XDG_CONFIG_HOME", scratch.resolve("xdg").toString()); // no client.toml of the user's
        long t0 = System.nanoTime();
        Process p = pb.start();
        int code = p.waitFor();
        long wall = System.nanoTime() - t0;
        long lines;
        String tail;
        try (var s = Files.lines(out, StandardCharsets.UTF_8)) {
            lines = s.count();
        }
        List<String> all = Files.readAllLines(out, StandardCharsets.UTF_8);
        tail = String.join("\n", all.subList(Math.max(0, all.size() - 3), all.size()));
        return new Result(
                code,
                wall,
                lines,
                tail,
                Files.readString(err, StandardCharsets.UTF_8).strip());
    }
}
