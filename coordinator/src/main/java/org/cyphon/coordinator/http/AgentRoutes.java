package org.cyphon.coordinator.http;

import io.javalin.router.JavalinDefaultRouting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cyphon.coordinator.checkpoints.FetchCheckpoint;
import org.cyphon.coordinator.schedule.WorkAssignments;
import org.cyphon.coordinator.secrets.SecretsKey;
import org.cyphon.coordinator.store.CheckpointRow;
import org.cyphon.core.protocol.EnrollRequest;
import org.cyphon.core.protocol.Heartbeat;
import org.cyphon.core.protocol.ReportBatch;
import org.cyphon.core.protocol.WorkAssignment;
import org.cyphon.core.protocol.WorkReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The agents' calls under {@code /api/v1/agents}. */
final class AgentRoutes {
    private static final Logger log = LoggerFactory.getLogger(AgentRoutes.class);

    /** The API contract's ceiling on {@code waitMs}. */
    static final long MAX_WAIT_MS = 60_000;

    private final Services s;
    private final RequestBodies bodies;

    private final AgentWork work;

    AgentRoutes(Services s, RequestBodies bodies) {
        this.s = s;
        this.bodies = bodies;
        this.work = new AgentWork(s.storeReadConnections());
    }

    /**
     * The assignments with their secret values opened for this one reply. One whose secrets do
     * not open (the key file was replaced) is left out, with a warning naming the job: it cannot
     * run without them, so its lease runs out and it is retried, then fails, saying why in the log.
     */
    private List<WorkAssignment> opened(List<WorkAssignment> work) {
        List<WorkAssignment> out = new ArrayList<>(work.size());
        for (WorkAssignment w : work) {
            try {
                out.add(WorkAssignments.withOutputLimit(
                        WorkAssignments.opened(w, s.secrets()),
                        s.files().settings().maxOutputBytes()));
            } catch (SecretsKey.Unreadable e) {
                log.warn("job {} not sent to its agent: {}", w.jobId(), e.getMessage());
            }
        }
        return out;
    }

    void register(JavalinDefaultRouting r) {
        r.post("/api/v1/agents/enroll", ctx -> {
            var by = s.auth().enroller(ctx.header("Authorization"), ctx.req().getRemoteAddr());
            Params.allowOnly(ctx, Set.of());
            ctx.json(s.enroll().enroll(bodies.json(ctx, EnrollRequest.class), by));
        });
        r.post("/api/v1/agents/{machine}/heartbeat", ctx -> {
            String machine = ctx.pathParam("machine");
            s.auth().agent(ctx.header("Authorization"), machine);
            Params.allowOnly(ctx, Set.of());
            long arrived = System.nanoTime();
            Heartbeat hb = bodies.json(ctx, Heartbeat.class);
            // Worked on in the heartbeats' own line and answered once committed, holding no request
            // thread meanwhile (AgentWork, Transactions.writeLater).
            ctx.future(() ->
                    work.beat(() -> s.heartbeat().beat(machine, hb, arrived)).thenAccept(ctx::json));
        });
        r.post("/api/v1/agents/{machine}/sleep", ctx -> {
            String machine = ctx.pathParam("machine");
            s.auth().agent(ctx.header("Authorization"), machine);
            Params.allowOnly(ctx, Set.of());
            ctx.json(s.goToSleep().sleep(machine, bodies.json(ctx, org.cyphon.core.protocol.SleepNotice.class)));
        });
        r.get("/api/v1/agents/{machine}/work", ctx -> {
            String machine = ctx.pathParam("machine");
            s.auth().agent(ctx.header("Authorization"), machine);
            Params.allowOnly(ctx, Set.of("waitMs"));
            Long asked = Params.optLong(ctx, "waitMs", 0, MAX_WAIT_MS);
            long max = s.longPollMax().toMillis();
            Duration wait = Duration.ofMillis(asked == null ? max : Math.min(asked, max));
            ctx.future(
                    () -> s.mailboxes().take(machine, wait).thenAccept(work -> ctx.json(new WorkReply(opened(work)))));
        });
        r.post("/api/v1/agents/{machine}/attempts/{fencingToken}/output/{stream}", ctx -> {
            String machine = ctx.pathParam("machine");
            s.auth().agent(ctx.header("Authorization"), machine);
            Params.allowOnly(ctx, Set.of("offset"));
            long token = Params.id(ctx, "fencingToken");
            String stream = Params.stream(ctx.pathParam("stream"), "stream");
            Long offset = Params.optLong(ctx, "offset", 0, Long.MAX_VALUE);
            long stored = s.upload().upload(machine, token, stream, offset == null ? 0 : offset, bodies.bytes(ctx));
            ctx.json(Map.of("stored", stored));
        });
        // The checkpoint body is streamed to disk by StoreCheckpoint, not read by RequestBodies: it
        // is bounded by jobs.max_checkpoint_bytes, not by http.max_body.
        r.put("/api/v1/agents/{machine}/attempts/{fencingToken}/checkpoint", ctx -> {
            String machine = ctx.pathParam("machine");
            s.auth().agent(ctx.header("Authorization"), machine);
            Params.allowOnly(ctx, Set.of());
            long token = Params.id(ctx, "fencingToken");
            long declared = ctx.req().getContentLengthLong();
            s.storeCheckpoint().admit(machine, token, declared); // before the body is opened: see admit
            CheckpointRow row =
                    bodies.timeout().read(ctx, body -> s.storeCheckpoint().store(machine, token, declared, body));
            ctx.json(Map.of("stored", row.sizeBytes()));
        });
        r.get("/api/v1/agents/{machine}/attempts/{fencingToken}/checkpoint", ctx -> {
            String machine = ctx.pathParam("machine");
            s.auth().agent(ctx.header("Authorization"), machine);
            Params.allowOnly(ctx, Set.of());
            FetchCheckpoint.Archive archive = s.fetchCheckpoint().fetch(machine, Params.id(ctx, "fencingToken"));
            if (archive == null) {
                ctx.status(204);
                return;
            }
            ctx.header("X-Cyphon-Checkpoint-Size", Long.toString(archive.row().sizeBytes()));
            ctx.header(
                    "X-Cyphon-Checkpoint-Attempt",
                    Integer.toString(archive.row().attemptNo()));
            ctx.contentType("application/x-tar");
            ctx.result(archive.bytes());
        });
        r.post("/api/v1/agents/{machine}/reports", ctx -> {
            String machine = ctx.pathParam("machine");
            s.auth().agent(ctx.header("Authorization"), machine);
            Params.allowOnly(ctx, Set.of());
            byte[] body = bodies.bytes(ctx); // before its line: a stalled upload holds no place in it
            // Parsed and applied in the reports' own line (AgentWork), answered once committed.
            ctx.future(() -> work.report(() -> s.reports().apply(machine, bodies.parse(body, ReportBatch.class)))
                    .thenAccept(ctx::json));
        });
    }
}
