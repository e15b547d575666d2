package org.cyphon.cli.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real {@code cyphon} process started from the packaged jar (the same thing {@code ./cyphon}
 * runs), with its output captured to a file for assertions and post-mortems.
 */
final class CyphonProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private CyphonProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static Path jar() {
        String p = System.getProperty("cyphon.jar");
        if (p == null)
            throw new IllegalStateException(
                    "system property cyphon.jar is not set (run through failsafe: ./mvnw verify)");
        return Path.of(p);
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(
                List.of(java(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts a long-running cyphon process (coordinator, agent, up) writing to {@code log}. */
    static CyphonProcess start(Path log, Map<String, String> env, String... args) throws IOException {
        ProcessBuilder pb =
                new ProcessBuilder(command(args)).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new CyphonProcess(pb.start(), log);
    }

    /**
     * Starts a long-running cyphon process through {@code prefix} (e.g. {@code nsenter --net=...},
     * which execs it, so {@link #pid} and {@link #crash} are the cyphon process's own).
     */
    static CyphonProcess startVia(List<String> prefix, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(command(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        return new CyphonProcess(pb.start(), log);
    }

    /** Runs a short cyphon command to its end. */
    static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return runVia(List.of(), env, args);
    }

    /** Runs a short cyphon command to its end through {@code prefix} (e.g. on another host's network). */
    static Result runVia(List<String> prefix, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return runVia(java.time.Duration.ofMinutes(2), prefix, env, args);
    }

    /** Runs a short cyphon command to its end, allowing it {@code timeout} (a big upload takes longer). */
    static Result runVia(java.time.Duration timeout, List<String> prefix, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(command(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Path out = Files.createTempFile("cyphon-out", ".txt");
        Path err = Files.createTempFile("cyphon-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("cyphon " + String.join(" ", args) + " did not finish in " + timeout);
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /** Waits until the log has a line matching {@code regex}; returns its first group (or the line). */
    String awaitLine(String regex, Duration timeout) throws IOException {
        Pattern p = Pattern.compile(regex);
        try {
            return await().atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(100))
                    .until(
                            () -> {
                                for (String line : Files.readAllLines(log)) {
                                    Matcher m = p.matcher(line);
                                    if (m.find()) return m.groupCount() > 0 ? m.group(1) : line;
                                }
                                if (!process.isAlive())
                                    throw new IllegalStateException("process exited (" + process.exitValue()
                                            + ") before printing /" + regex + "/:\n" + Files.readString(log));
                                return null;
                            },
                            Objects::nonNull);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(
                    "no line /" + regex + "/ within " + timeout + ":\n" + Files.readString(log), e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** kill -9: no shutdown hook, no goodbye — a crash. */
    void crash() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) crash();
    }
}
