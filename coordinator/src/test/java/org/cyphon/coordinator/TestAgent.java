package org.cyphon.coordinator;

import java.util.ArrayList;
import java.util.List;
import org.cyphon.core.job.AttemptOutcome;
import org.cyphon.core.job.AttemptRunState;
import org.cyphon.core.protocol.AttemptReport;
import org.cyphon.core.protocol.AttemptStatus;
import org.cyphon.core.protocol.EnrollReply;
import org.cyphon.core.protocol.EnrollRequest;
import org.cyphon.core.protocol.Heartbeat;
import org.cyphon.core.protocol.HeartbeatReply;
import org.cyphon.core.protocol.ReportBatch;
import org.cyphon.core.protocol.ReportReply;
import org.cyphon.core.protocol.ReportResult;
import org.cyphon.core.protocol.WorkAssignment;
import org.cyphon.core.protocol.WorkReply;

/**
 * Plays an agent over the real HTTP API: enrolls, beats listing the attempts it holds, fetches
 * work, reports ends. It runs nothing; the test decides what "happens" on the machine.
 */
final class TestAgent {
    final String name;
    final ApiClient api;
    final EnrollReply enrollment;
    final List<WorkAssignment> holding = new ArrayList<>();
    final double cpus;
    final long memory;

    private TestAgent(String name, ApiClient api, EnrollReply enrollment, double cpus, long memory) {
        this.name = name;
        this.api = api;
        this.enrollment = enrollment;
        this.cpus = cpus;
        this.memory = memory;
    }

    /** The same desk, its agent now offering {@code cpus} (a desk given more cores, say). */
    TestAgent offering(double cpus) {
        return new TestAgent(name, api, enrollment, cpus, memory);
    }

    /** Enrolls with {@code token} (a join secret, say) and the given request. */
    static TestAgent enrollWith(TestCoordinator c, String token, EnrollRequest request) {
        EnrollReply r = new ApiClient(c.url(), token).post("/api/v1/agents/enroll", request, EnrollReply.class);
        return new TestAgent(
                request.name(), new ApiClient(c.url(), r.agentToken()), r, request.cpus(), request.memoryBytes());
    }

    static TestAgent enroll(TestCoordinator c, String name, double cpus, long memoryBytes) {
        ApiClient enroller = new ApiClient(c.url(), c.coordinator().enrollToken());
        EnrollReply r = enroller.post(
                "/api/v1/agents/enroll",
                new EnrollRequest(name, cpus, memoryBytes, "nice-only", null, "test"),
                EnrollReply.class);
        return new TestAgent(name, new ApiClient(c.url(), r.agentToken()), r, cpus, memoryBytes);
    }

    HeartbeatReply beat() {
        List<AttemptStatus> list = holding.stream()
                .map(w -> new AttemptStatus(w.jobId(), w.attempt(), w.fencingToken(), AttemptRunState.RUNNING))
                .toList();
        return beat(list);
    }

    HeartbeatReply beat(List<AttemptStatus> attempts) {
        return api.post(
                path("/heartbeat"), new Heartbeat(cpus, memory, "nice-only", null, attempts), HeartbeatReply.class);
    }

    /** A heartbeat carrying the machine's labels, as agents report os, arch, gpu and agent.toml's [labels]. */
    HeartbeatReply beatLabels(java.util.Map<String, String> labels) {
        List<AttemptStatus> list = holding.stream()
                .map(w -> new AttemptStatus(w.jobId(), w.attempt(), w.fencingToken(), AttemptRunState.RUNNING))
                .toList();
        return api.post(
                path("/heartbeat"),
                new Heartbeat(cpus, memory, "nice-only", null, list, null, null, null, labels),
                HeartbeatReply.class);
    }

    /** A heartbeat carrying the machine's GPUs, as agents read them from nvidia-smi. */
    HeartbeatReply beatGpus(List<org.cyphon.core.protocol.GpuView> gpus) {
        return beatGpusRaw(gpus).as(HeartbeatReply.class);
    }

    ApiClient.Reply beatGpusRaw(List<org.cyphon.core.protocol.GpuView> gpus) {
        return beatGpusRaw(gpus, null);
    }

    /** A heartbeat with the machine's GPUs and whether its policy lets GPU work start (null: no desk view). */
    ApiClient.Reply beatGpusRaw(List<org.cyphon.core.protocol.GpuView> gpus, Boolean gpuMayStart) {
        List<AttemptStatus> list = holding.stream()
                .map(w -> new AttemptStatus(w.jobId(), w.attempt(), w.fencingToken(), AttemptRunState.RUNNING))
                .toList();
        var desk = gpuMayStart == null
                ? null
                : new org.cyphon.core.protocol.DeskView(
                        "present",
                        0,
                        false,
                        true,
                        "desktop",
                        List.of(gpuMayStart ? "owner present, lingering" : "owner GPU 80% busy"),
                        List.of(),
                        null,
                        gpuMayStart);
        return api.post(
                path("/heartbeat"),
                new Heartbeat(
                        cpus, memory, "nice-only", null, list, null, desk, null, null, null, null, null, null, gpus));
    }

    /** A heartbeat carrying the desk's own start decision, as the owner-first loop sends it. */
    HeartbeatReply beatDesk(boolean mayStart) {
        var desk = new org.cyphon.core.protocol.DeskView(
                mayStart ? "away" : "present",
                mayStart ? 600 : 0,
                false,
                mayStart,
                "desktop",
                List.of(mayStart ? "owner away 10 min" : "keyboard input 1 s ago"),
                List.of());
        return api.post(
                path("/heartbeat"),
                new Heartbeat(cpus, memory, "nice-only", null, List.of(), null, desk),
                HeartbeatReply.class);
    }

    /** One long poll for work by a machine {@code api} speaks for (a desk that only beats, say). */
    static List<WorkAssignment> workOf(TestCoordinator c, ApiClient api, String machine, long waitMs) {
        return api.get("/api/v1/agents/" + machine + "/work?waitMs=" + waitMs, WorkReply.class)
                .assignments();
    }

    /** Long-polls for work; what arrives is added to what this agent holds. */
    List<WorkAssignment> work(long waitMs) {
        List<WorkAssignment> got =
                api.get(path("/work?waitMs=" + waitMs), WorkReply.class).assignments();
        holding.addAll(got);
        return got;
    }

    List<ReportResult> report(AttemptReport... reports) {
        ReportReply r = api.post(path("/reports"), new ReportBatch(List.of(reports)), ReportReply.class);
        for (AttemptReport a : reports) holding.removeIf(w -> w.fencingToken() == a.fencingToken());
        return r.results();
    }

    static AttemptReport exited(WorkAssignment w, int code) {
        return new AttemptReport(
                w.jobId(), w.attempt(), w.fencingToken(), AttemptOutcome.EXITED, code, null, 1.5, null);
    }

    static AttemptReport outcome(WorkAssignment w, AttemptOutcome outcome) {
        return new AttemptReport(w.jobId(), w.attempt(), w.fencingToken(), outcome, null, null, 0, "test");
    }

    ApiClient.Reply putCheckpoint(WorkAssignment w, byte[] archive) {
        return api.putBytes(path("/attempts/" + w.fencingToken() + "/checkpoint"), archive);
    }

    ApiClient.Reply getCheckpoint(WorkAssignment w) {
        return api.get(path("/attempts/" + w.fencingToken() + "/checkpoint"));
    }

    /** An end the agent reports with its own checkpoint accounting. */
    static AttemptReport ended(
            WorkAssignment w, AttemptOutcome outcome, Integer code, double cpu, Double cpuSinceCheckpoint) {
        return new AttemptReport(
                w.jobId(), w.attempt(), w.fencingToken(), outcome, code, null, cpu, "test", cpuSinceCheckpoint);
    }

    String path(String rest) {
        return "/api/v1/agents/" + name + rest;
    }
}
