package org.cyphon.cli;

import java.io.PrintStream;
import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.LogChunk;
import org.cyphon.core.job.JobState;
import org.cyphon.core.protocol.JobView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cyphon logs ID}: a job's stdout (or stderr) as raw bytes, exactly as the job wrote them.
 *
 * <p>{@code --follow} keeps polling from the last offset until the coordinator says the job is
 * terminal ({@code X-Cyphon-Log-Final}) and every byte is read. When the job is re-queued and a new
 * attempt starts, the follower moves on to it (announcing it on stderr) unless {@code --attempt}
 * pinned one.
 */
@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        description = "Print a job's output (stdout by default) as raw bytes.")
public final class LogsCommand extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "The job id.")
    long id;

    @Option(names = "--stderr", description = "Print the job's stderr instead of its stdout.")
    boolean stderr;

    @Option(
            names = {"-f", "--follow"},
            description = "Keep printing new output until the job ends.")
    boolean follow;

    @Option(names = "--attempt", paramLabel = "K", description = "Output of attempt K (default: the latest).")
    Integer attempt;

    @Override
    protected int run(CyphonClient client) throws InterruptedException {
        String stream = stderr ? "stderr" : "stdout";
        PrintStream out = System.out;
        if (!follow) {
            drain(client, stream, attempt, 0, out);
            return 0;
        }
        Backoff backoff = new Backoff();
        Integer current = attempt;
        long offset = 0;
        while (true) {
            boolean jobFinal;
            if (current == null) {
                // No attempt yet to read from: wait for one, or for the job to end without running.
                JobView job = client.job(id);
                if (latestAttempt(job) > 0) {
                    current = latestAttempt(job);
                    continue;
                }
                jobFinal = isTerminal(job.state());
            } else {
                Drained d = drain(client, stream, current, offset, out);
                if (d.offset() != offset) backoff.reset();
                offset = d.offset();
                jobFinal = d.jobFinal();
                if (attempt == null) {
                    // Did the job move to a newer attempt while we read this one?
                    JobView job = client.job(id);
                    if (latestAttempt(job) > current) {
                        current = latestAttempt(job);
                        offset = 0;
                        note("cyphon: job " + id + " attempt " + current + " started"
                                + (job.progress().machine() != null
                                        ? " on " + job.progress().machine()
                                        : ""));
                        continue;
                    }
                }
            }
            if (jobFinal) return 0;
            backoff.sleep();
        }
    }

    private record Drained(long offset, boolean jobFinal) {}

    /** Reads and writes everything from {@code offset} that the coordinator holds now. */
    private Drained drain(CyphonClient client, String stream, Integer attemptNo, long offset, PrintStream out) {
        while (true) {
            LogChunk chunk = client.logs(id, stream, offset, attemptNo);
            out.write(chunk.bytes(), 0, chunk.bytes().length);
            out.flush();
            offset += chunk.bytes().length;
            boolean caughtUp = chunk.bytes().length == 0 || (chunk.totalSize() >= 0 && offset >= chunk.totalSize());
            if (caughtUp) return new Drained(offset, chunk.jobFinal());
        }
    }

    // The attempts list, not attemptCount: a vacated attempt gets a number but does not count.
    private static int latestAttempt(JobView job) {
        int latest = job.progress().attemptCount();
        if (job.attempts() != null) {
            for (var a : job.attempts()) latest = Math.max(latest, a.attempt());
        }
        return latest;
    }

    private static boolean isTerminal(String state) {
        try {
            return JobState.fromWire(state).isTerminal();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
