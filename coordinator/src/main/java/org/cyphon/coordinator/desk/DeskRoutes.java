package org.cyphon.coordinator.desk;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.auth.Authenticate;
import org.cyphon.coordinator.auth.Principal;
import org.cyphon.coordinator.http.BodyTimeout;
import org.cyphon.coordinator.http.WireJson;
import org.cyphon.coordinator.machines.DeskReports;
import org.cyphon.core.protocol.DeskActionReply;
import org.cyphon.core.protocol.DeskAuditList;
import org.cyphon.core.protocol.DeskCommandList;
import org.cyphon.core.protocol.DeskCommandResult;

/**
 * The desk VM calls (docs/api.md, "Desk VM"): administrators' actions and the audit log under
 * {@code /api/v1/machines/{name}/desk}, and the agents' side under {@code /api/v1/agents/{machine}/desk-commands}.
 */
final class DeskRoutes {
    /** The API contract's ceiling on the agents' {@code waitMs}, as for the work poll. */
    private static final long MAX_WAIT_MS = 60_000;
    /** An answer carries at most one screenshot: a 4K screen as PNG is well under this. */
    private static final long MAX_ANSWER_BYTES = 64L << 20;

    private static final int DEFAULT_AUDIT_LIMIT = 100;
    private static final int MAX_AUDIT_LIMIT = 10_000;
    private static final Set<String> OUTCOMES = Set.of("ok", "refused", "invalid", "failed");

    private final Authenticate auth;
    private final RunDeskAction run;
    private final DeskCommandQueue queue;
    private final DeskAuditLog audit;
    private final DeskReports reports;
    private final Duration longPollMax;
    private final ObjectMapper json = WireJson.mapper();

    DeskRoutes(
            Authenticate auth,
            RunDeskAction run,
            DeskCommandQueue queue,
            DeskAuditLog audit,
            DeskReports reports,
            Duration longPollMax) {
        this.auth = auth;
        this.run = run;
        this.queue = queue;
        this.audit = audit;
        this.reports = reports;
        this.longPollMax = longPollMax;
    }

    void register(JavalinDefaultRouting r, BodyTimeout bodyTimeout) {
        r.get("/api/v1/machines/{name}/desk", ctx -> act(ctx, DeskAction.STATUS.wireName()));
        r.get("/api/v1/machines/{name}/desk/screenshot", ctx -> act(ctx, DeskAction.SCREENSHOT.wireName()));
        r.get("/api/v1/machines/{name}/desk/audit", ctx -> {
            auth.admin(ctx.header("Authorization"));
            allowOnly(ctx, Set.of("limit"));
            int limit = limit(ctx);
            ctx.json(new DeskAuditList(audit.latest(ctx.pathParam("name"), limit)));
        });
        r.post("/api/v1/machines/{name}/desk/{action}", ctx -> act(ctx, ctx.pathParam("action")));

        r.get("/api/v1/agents/{machine}/desk-commands", ctx -> {
            String machine = ctx.pathParam("machine");
            auth.agent(ctx.header("Authorization"), machine);
            allowOnly(ctx, Set.of("waitMs"));
            long asked = waitMs(ctx);
            Duration wait = Duration.ofMillis(Math.min(asked, longPollMax.toMillis()));
            ctx.future(() -> queue.take(machine, wait).thenAccept(commands -> ctx.json(new DeskCommandList(commands))));
        });
        r.post("/api/v1/agents/{machine}/desk-commands/{id}/result", ctx -> {
            String machine = ctx.pathParam("machine");
            auth.agent(ctx.header("Authorization"), machine);
            allowOnly(ctx, Set.of());
            long id = id(ctx);
            DeskCommandResult result = answer(ctx, id, bodyTimeout);
            if (result.vm() != null) reports.recordVm(machine, result.vm()); // fresher than the last heartbeat
            audit.finish(id, machine, auditResult(result.outcome()), result.message());
            boolean delivered = queue.answer(machine, result);
            ctx.json(Map.of("delivered", delivered));
        });
    }

    /** An administrator's action: auth (401, else on record), the action, its answer as JSON or PNG. */
    private void act(Context ctx, String actionName) {
        Principal who = auth.principal(ctx.header("Authorization"));
        DeskAction action = DeskAction.parse(actionName);
        // force and undo are read for every action, so that one given to another action than reimage
        // is refused by RunDeskAction, on record, with a reason.
        allowOnly(ctx, Set.of("force", "undo"));
        boolean force = flag(ctx, "force");
        boolean undo = flag(ctx, "undo");
        ConnectionIdleTime.atLeast(ctx, Duration.ofSeconds(action.waitSeconds + 30));
        String machine = ctx.pathParam("name");
        RunDeskAction.Done done = run.run(who, machine, action, force, undo);
        DeskCommandResult result = done.result();
        ctx.header("X-Cyphon-Desk-Audit", Long.toString(done.auditId()));
        if (action == DeskAction.SCREENSHOT) {
            if (result.png() == null) throw new ApiError(502, machine + ": the agent sent no screenshot", null);
            byte[] png;
            try {
                png = Base64.getDecoder().decode(result.png());
            } catch (IllegalArgumentException e) {
                throw new ApiError(502, machine + ": the agent's screenshot is not base64: " + e.getMessage(), null);
            }
            ctx.contentType("image/png").result(png);
            return;
        }
        ctx.json(new DeskActionReply(done.auditId(), machine, action.wireName(), result.message(), result.vm()));
    }

    /** The agent's answer: strict JSON, read from the stream with a cap of its own (a screenshot exceeds {@code http.max_body}). */
    private DeskCommandResult answer(Context ctx, long id, BodyTimeout bodyTimeout) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_ANSWER_BYTES)
            throw new ApiError(413, "body: a desk answer is at most " + (MAX_ANSWER_BYTES >> 20) + " MiB", "body");
        byte[] body = bodyTimeout.read(ctx, in -> in.readNBytes((int) MAX_ANSWER_BYTES + 1));
        if (body.length > MAX_ANSWER_BYTES)
            throw new ApiError(413, "body: a desk answer is at most " + (MAX_ANSWER_BYTES >> 20) + " MiB", "body");
        DeskCommandResult result;
        try {
            result = json.readValue(body, DeskCommandResult.class);
        } catch (IOException e) {
            throw ApiError.badField("body", "not a DeskCommandResult: " + firstLine(e.getMessage()));
        }
        if (result == null) throw ApiError.badField("body", "a JSON object is required");
        if (result.id() != id) throw ApiError.badField("id", "is " + result.id() + ", but the path says " + id);
        if (!OUTCOMES.contains(result.outcome()))
            throw ApiError.badField("outcome", "must be one of ok, refused, invalid, failed");
        return result;
    }

    /** The audit log's words: a bad argument is a refusal too (nothing changed). */
    private static String auditResult(String outcome) {
        return outcome.equals("invalid") ? "refused" : outcome;
    }

    private static void allowOnly(Context ctx, Set<String> allowed) {
        for (var e : ctx.queryParamMap().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw ApiError.badField(
                        e.getKey(),
                        "unknown query parameter"
                                + (allowed.isEmpty()
                                        ? ""
                                        : " (known: "
                                                + String.join(
                                                        ", ",
                                                        allowed.stream()
                                                                .sorted()
                                                                .toList()) + ")"));
            }
            if (e.getValue().size() > 1) throw ApiError.badField(e.getKey(), "given more than once");
        }
    }

    private static boolean flag(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.equals("false")) return false;
        if (v.equals("true") || v.isEmpty()) return true;
        throw ApiError.badField(name, "must be true or false");
    }

    private static long waitMs(Context ctx) {
        String s = ctx.queryParam("waitMs");
        if (s == null) return MAX_WAIT_MS;
        try {
            long v = Long.parseLong(s.trim());
            if (v >= 0 && v <= MAX_WAIT_MS) return v;
        } catch (NumberFormatException ignored) {
            // below
        }
        throw ApiError.badField("waitMs", "must be an integer from 0 to " + MAX_WAIT_MS);
    }

    private static int limit(Context ctx) {
        String s = ctx.queryParam("limit");
        if (s == null) return DEFAULT_AUDIT_LIMIT;
        try {
            int v = Integer.parseInt(s.trim());
            if (v >= 1 && v <= MAX_AUDIT_LIMIT) return v;
        } catch (NumberFormatException ignored) {
            // below
        }
        throw ApiError.badField("limit", "must be an integer from 1 to " + MAX_AUDIT_LIMIT);
    }

    private static long id(Context ctx) {
        try {
            long v = Long.parseLong(ctx.pathParam("id"));
            if (v > 0) return v;
        } catch (NumberFormatException ignored) {
            // below
        }
        throw ApiError.badField("id", "must be a positive integer");
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
