package org.cyphon.agent.desk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code virsh -c URI ...}: the libvirt backend talks to libvirt only through it, so it needs
 * no native library and works with whatever libvirt the site runs.
 */
final class Virsh {
    private static final Duration DEFAULT_LIMIT = Duration.ofSeconds(60);

    /** What one virsh run printed and how it ended. */
    record Outcome(int exitCode, String out, String err) {
        boolean ok() {
            return exitCode == 0;
        }

        /** virsh's own complaint, without its "error: " prefixes, on one line. */
        String problem() {
            String text = (err.isBlank() ? out : err).strip().replaceAll("(?m)^error: ", "");
            return text.isEmpty() ? "exit code " + exitCode : text.replace('\n', ' ');
        }
    }

    private final Path program;
    private final String uri;

    Virsh(Path program, String uri) {
        this.program = program;
        this.uri = uri;
    }

    /** {@code virsh} from {@code PATH}, or a FAILED saying which package to install. */
    static Path locate() throws DeskException {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/local/bin:/bin").split(":")) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, "virsh");
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
        }
        throw DeskException.failed("virsh is not installed: install Debian's libvirt-clients package "
                + "(and libvirt-daemon-system for the daemon), or use backend = \"qemu\"");
    }

    String uri() {
        return uri;
    }

    /** Runs virsh and returns what it printed, whatever its exit code. */
    Outcome run(Duration limit, String... args) throws DeskException {
        List<String> command = new ArrayList<>(List.of(program.toString(), "-q", "-c", uri));
        command.addAll(List.of(args));
        Path out = null;
        Path err = null;
        try {
            // Files, not pipes: a chatty virsh can never block on a full pipe while we wait for it.
            out = Files.createTempFile("cyphon-virsh", ".out");
            err = Files.createTempFile("cyphon-virsh", ".err");
            Process p = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw DeskException.failed("virsh " + String.join(" ", args) + " did not finish within "
                        + limit.toSeconds() + " s (is libvirtd running and answering at " + uri + "?)");
            }
            return new Outcome(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw DeskException.failed("cannot run virsh: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeskException.failed("interrupted while running virsh " + args[0], e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Runs virsh and returns its output; a non-zero exit is a FAILED naming what was asked and virsh's reason. */
    String check(String what, String... args) throws DeskException {
        return check(what, DEFAULT_LIMIT, args);
    }

    String check(String what, Duration limit, String... args) throws DeskException {
        Outcome o = run(limit, args);
        if (!o.ok()) throw DeskException.failed(what + " failed: " + o.problem());
        return o.out();
    }

    private static void deleteQuietly(Path file) {
        if (file == null) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A temporary file left behind harms nothing.
        }
    }
}
