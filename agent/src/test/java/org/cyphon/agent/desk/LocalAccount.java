package org.cyphon.agent.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away system account for a test (useradd, removed by {@link #close()}), and a way to run a
 * command as any account, as the kernel would see it (setpriv: its uid, its group, no other groups).
 * Needs root, like every test that touches the desk's cgroups.
 */
final class LocalAccount implements AutoCloseable {
    final String name;

    private LocalAccount(String name) {
        this.name = name;
    }

    static LocalAccount create() throws Exception {
        String name = "cyt" + UUID.randomUUID().toString().substring(0, 8);
        Result r = run(List.of(
                "useradd", "--system", "--no-create-home", "--user-group", "--shell", "/usr/sbin/nologin", name));
        assertThat(r.exit()).as("useradd: " + r.output()).isZero();
        return new LocalAccount(name);
    }

    /** What a command said (stdout and stderr together) and its exit code. */
    record Result(int exit, String output, byte[] stdout) {}

    /** Runs {@code command} as {@code user} (and that user's own group only). */
    static Result runAs(String user, List<String> command, byte[] stdin) throws Exception {
        String group = run(List.of("id", "-gn", user)).output().strip();
        List<String> argv = new ArrayList<>(
                List.of("setpriv", "--reuid=" + user, "--regid=" + group, "--clear-groups", "--inh-caps=-all", "--"));
        argv.addAll(command);
        Path in = Files.createTempFile("as-user", ".in");
        Path err = Files.createTempFile("as-user", ".err");
        try {
            Files.write(in, stdin == null ? new byte[0] : stdin);
            Process p = new ProcessBuilder(argv)
                    .redirectInput(in.toFile())
                    .redirectError(err.toFile())
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(argv + " did not end within 30 s");
            }
            return new Result(
                    p.exitValue(),
                    new String(out, StandardCharsets.ISO_8859_1) + Files.readString(err, StandardCharsets.ISO_8859_1),
                    out);
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(err);
        }
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor(30, TimeUnit.SECONDS);
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), out);
    }

    @Override
    public void close() throws Exception {
        run(List.of("userdel", name));
    }
}
