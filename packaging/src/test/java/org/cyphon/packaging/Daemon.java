package org.cyphon.packaging;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service process started the way its unit would start it, its stdout and stderr in files (as
 * systemd would hand them to the journal).
 */
final class Daemon implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path out;
    private final Path err;

    private Daemon(String name, Process process, Path out, Path err) {
        this.name = name;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * Starts {@code command}; its stderr goes to {@code logDir/NAME.err}, and {@code JOURNAL_STREAM}
     * names that file as systemd names the journal's stream, so the process logs as under systemd.
     */
    static Daemon start(String name, Path logDir, Map<String, String> env, List<String> command) throws IOException {
        Path out = logDir.resolve(name + ".out");
        Path err = logDir.resolve(name + ".err");
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        Files.createFile(out);
        Files.createFile(err);
        Map<String, Object> id = Files.readAttributes(err, "unix:dev,ino");
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
        pb.environment().putAll(env);
        pb.environment().put("JOURNAL_STREAM", id.get("dev") + ":" + id.get("ino"));
        return new Daemon(name, pb.start(), out, err);
    }

    /** Waits for a stdout line matching {@code regex} and returns its first group (or the line). */
    String awaitLine(String regex, Duration within) {
        Pattern p = Pattern.compile(regex);
        String[] found = new String[1];
        await().atMost(within)
                .pollInterval(Duration.ofMillis(200))
                .failFast(name + " exited:\n" + log(), () -> !process.isAlive())
                .until(() -> {
                    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                        Matcher m = p.matcher(line);
                        if (m.find()) {
                            found[0] = m.groupCount() > 0 ? m.group(1) : line;
                            return true;
                        }
                    }
                    return false;
                });
        return found[0];
    }

    long pid() {
        return process.pid();
    }

    String stderr() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    String log() {
        try {
            return "--- " + name + " stdout\n" + Files.readString(out) + "--- " + name + " stderr\n" + stderr();
        } catch (IOException e) {
            return name + ": " + e;
        }
    }

    /** SIGTERM, as systemctl stop sends it; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(120, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) stop();
    }
}
