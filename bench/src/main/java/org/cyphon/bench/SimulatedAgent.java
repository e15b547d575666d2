package org.cyphon.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cyphon.core.job.AttemptOutcome;
import org.cyphon.core.job.AttemptRunState;
import org.cyphon.core.protocol.AttemptReport;
import org.cyphon.core.protocol.AttemptStatus;
import org.cyphon.core.protocol.BeatCadence;
import org.cyphon.core.protocol.EnrollReply;
import org.cyphon.core.protocol.EnrollRequest;
import org.cyphon.core.protocol.Heartbeat;
import org.cyphon.core.protocol.HeartbeatReply;
import org.cyphon.core.protocol.ReportBatch;
import org.cyphon.core.protocol.ReportReply;
import org.cyphon.core.protocol.WorkAssignment;
import org.cyphon.core.protocol.WorkReply;

/**
 * An agent with no sandbox: it speaks the real agent protocol over real HTTP (enroll, long-poll
 * for work, batch reports, heartbeats that list what it holds) but "runs" every job in zero time,
 * reporting it {@code exited 0} at once. So the only work left is the coordinator's. Its two loops
 * each keep one HTTP/1.1 connection ({@link DispatchAgentConnection}), as the real agent's do.
 *
 * <p>Like the real agent it lists held attempts in every heartbeat, so the coordinator never sees
 * an attempt go silent in the instant between assignment and report, and it beats when the real
 * agent would: core's {@link BeatCadence} decides the wait after each beat (the coordinator's
 * interval while there is news, a third of the lease while a beat would only repeat the last).
 */
final class SimulatedAgent {
    static final String SANDBOX = "nice-only";
    static final String SANDBOX_NOTE = "simulated agent (bench/run dispatch): jobs finish at once, nothing runs";

    private final String machine;
    private final DispatchAgentConnection workConnection;
    private final DispatchAgentConnection beatConnection;
    private final double cpus;
    private final long memoryBytes;
    private final long heartbeatMillis;
    private final Map<Long, AttemptStatus> held = new ConcurrentHashMap<>(); // by fencing token
    /** The heartbeat loop's own: when the real agent's next beat would be. */
    private final BeatCadence cadence;

    private SimulatedAgent(
            String machine, String coordinatorUrl, String token, double cpus, long memoryBytes, long heartbeatMillis) {
        this.machine = machine;
        this.workConnection = new DispatchAgentConnection(coordinatorUrl, token);
        this.beatConnection = new DispatchAgentConnection(coordinatorUrl, token);
        this.cpus = cpus;
        this.memoryBytes = memoryBytes;
        this.heartbeatMillis = heartbeatMillis;
        this.cadence = new BeatCadence(heartbeatMillis);
    }

    /** Joins the pool at {@code coordinatorUrl} with the enrollment token, as {@code name}. */
    static SimulatedAgent enroll(
            ApiClient enrollment, String coordinatorUrl, String name, double cpus, long memoryBytes)
            throws IOException, InterruptedException {
        EnrollReply r = enrollment.post(
                "/agents/enroll",
                new EnrollRequest(name, cpus, memoryBytes, SANDBOX, SANDBOX_NOTE, "bench"),
                EnrollReply.class);
        return new SimulatedAgent(r.machine(), coordinatorUrl, r.agentToken(), cpus, memoryBytes, r.heartbeatMillis());
    }

    long heartbeatMillis() {
        return heartbeatMillis;
    }

    /** One beat; returns the milliseconds until the next, as the real agent decides them. */
    long heartbeat(DispatchTally tally) throws IOException {
        List<AttemptStatus> holding = new ArrayList<>(held.values());
        holding.sort(Comparator.comparingLong(AttemptStatus::fencingToken));
        long t0 = System.nanoTime();
        HeartbeatReply r;
        try {
            r = post(
                    beatConnection,
                    "/agents/" + machine + "/heartbeat",
                    new Heartbeat(cpus, memoryBytes, SANDBOX, SANDBOX_NOTE, holding),
                    HeartbeatReply.class);
        } catch (IOException | RuntimeException e) {
            cadence.failed();
            throw e;
        }
        tally.heartbeat(System.nanoTime() - t0);
        boolean asked = r.stop() != null && !r.stop().isEmpty();
        if (asked) tally.stopRequested(r.stop());
        long leaseLeft = r.leaseExpiresAt() == null
                ? -1
                : Math.max(0, r.leaseExpiresAt().toEpochMilli() - System.currentTimeMillis());
        return cadence.afterBeat(holding, leaseLeft, asked || !r.vacate().isEmpty());
    }

    /** Until interrupted: heartbeat when the real agent would (see the class comment). */
    void heartbeatLoop(DispatchTally tally) {
        heartbeatLoop(tally, 0);
    }

    /**
     * Like {@link #heartbeatLoop(DispatchTally)}, the first beat {@code offsetMillis} later: a fleet's
     * beats are spread over the interval (desks boot at different times), not all in the same instant.
     */
    void heartbeatLoop(DispatchTally tally, long offsetMillis) {
        try {
            Thread.sleep(offsetMillis);
        } catch (InterruptedException e) {
            return;
        }
        long wait = heartbeatMillis;
        boolean first = true;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(wait);
                wait = heartbeat(tally);
                if (first) tally.firstBeat();
                first = false;
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                tally.error(machine + " heartbeat: " + e.getMessage());
                wait = heartbeatMillis;
            }
        }
    }

    /** Until interrupted: long-poll for work, then report all of it finished, in one batch. */
    void workLoop(DispatchTally tally, Duration longPoll) {
        String workPath = "/agents/" + machine + "/work?waitMs=" + longPoll.toMillis();
        String reportPath = "/agents/" + machine + "/reports";
        while (!Thread.currentThread().isInterrupted()) {
            String step = "work poll";
            try {
                long t0 = System.nanoTime();
                WorkReply w =
                        WireJson.MAPPER.readValue(workConnection.get(workPath, longPoll.toMillis()), WorkReply.class);
                long t1 = System.nanoTime();
                if (w.assignments() == null || w.assignments().isEmpty()) continue;
                tally.workPollWithWork.add(t1 - t0);
                tally.assigned(w.assignments(), t1);

                List<AttemptReport> reports = new ArrayList<>(w.assignments().size());
                for (WorkAssignment a : w.assignments()) {
                    held.put(
                            a.fencingToken(),
                            new AttemptStatus(a.jobId(), a.attempt(), a.fencingToken(), AttemptRunState.RUNNING));
                    reports.add(new AttemptReport(
                            a.jobId(), a.attempt(), a.fencingToken(), AttemptOutcome.EXITED, 0, null, 0, null));
                }
                step = "report";
                ReportReply r = post(workConnection, reportPath, new ReportBatch(reports), ReportReply.class);
                long t2 = System.nanoTime();
                tally.reportCall.add(t2 - t1);
                tally.reported(r.results(), t2);
                for (WorkAssignment a : w.assignments()) held.remove(a.fencingToken());
            } catch (IOException | RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) return;
                tally.error(machine + " " + step + ": " + e.getMessage());
                try {
                    Thread.sleep(100); // do not spin against a coordinator that is failing
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private static <T> T post(DispatchAgentConnection connection, String path, Object body, Class<T> type)
            throws IOException {
        return WireJson.MAPPER.readValue(connection.post(path, WireJson.MAPPER.writeValueAsBytes(body)), type);
    }

    /** Closes both loops' connections (after the loops have stopped). */
    void disconnect() {
        workConnection.close();
        beatConnection.close();
    }
}
