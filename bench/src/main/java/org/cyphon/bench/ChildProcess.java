package org.cyphon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A long-running process this benchmark started (a coordinator or an agent), with stdout and
 * stderr in one log file, so a failed run can be diagnosed after the fact.
 */
final class ChildProcess implements AutoCloseable {
    private final String what;
    private final Process process;
    private final Path log;

    private ChildProcess(String what, Process process, Path log) {
        this.what = what;
        this.process = process;
        this.log = log;
    }

    static ChildProcess start(String what, List<String> command, Path log) throws IOException {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new ChildProcess(what, p, log);
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /**
     * Waits for a log line matching {@code regex} and returns its first group (or the whole line).
     * Fails at once, with the log, if the process dies first: no point waiting out the timeout.
     */
    String awaitLine(String regex, Duration timeout) throws IOException, InterruptedException {
        Pattern p = Pattern.compile(regex);
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String line : Files.readAllLines(log)) {
                Matcher m = p.matcher(line);
                if (m.find()) return m.groupCount() > 0 ? m.group(1) : line;
            }
            if (!process.isAlive()) {
                throw new IOException(what + " exited (status " + process.exitValue() + ") before printing /" + regex
                        + "/; its log:\n" + tail());
            }
            if (System.nanoTime() > end)
                throw new IOException(what + " printed no /" + regex + "/ within " + timeout + "; its log:\n" + tail());
            Thread.sleep(50);
        }
    }

    /** The last lines of the log, for error messages. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM (so the agent can clean up its cgroups), then SIGKILL after 20 s. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
