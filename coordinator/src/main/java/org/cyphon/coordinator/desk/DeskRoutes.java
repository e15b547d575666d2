package org.cyphon.coordinator.desk;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
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
import org.cyphon.core.protocol.DeskEvent;
import org.cyphon.core.protocol.DeskEventList;
import org.cyphon.core.text.Durations;

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
    private static final Set<String> EVENT_ROLES = Set.of("keeper", "vm", "owner");
    private static final Set<String> EVENT_RESULTS = Set.of("ok", "failed", "refused");
    private static final int MAX_EVENTS = 1000;
    private static final long MAX_EVENTS_BYTES = 4L << 20;
    /** The longest an administrator's action may hold a desk VM with a stated time. */
    static final Duration MAX_HOLD = Duration.ofDays(30);

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
        r.post("/api/v1/agents/{machine}/desk-events", ctx -> {
            String machine = ctx.pathParam("machine");
            auth.agent(ctx.header("Authorization"), machine);
            allowOnly(ctx, Set.of());
            List<DeskEvent> events = events(ctx, bodyTimeout);
            int added = audit.recordEvents(machine, events);
            ctx.json(Map.of("recorded", added));
        });
        r.post("/api/v1/agents/{machine}/desk-commands/{id}/result", ctx -> {
            String machine = ctx.pathParam("machine");
            auth.agent(ctx.header("Authorization"), machine);
            allowOnly(ctx, Set.of());
            long id = id(ctx);
            DeskCommandResult result = answer(ctx, id, bodyTimeout);
            if (result.vm() != null) reports.recordVm(machine, result.vm()); // fresher than the last heartbeat
            // A read's id is negative: it is not on record.
            if (id > 0) audit.finish(id, machine, auditResult(result.outcome()), result.message());
            boolean delivered = queue.answer(machine, result);
            ctx.json(Map.of("delivered", delivered));
        });
    }

    /** An administrator's action: auth (401, else on record), the action, its answer as JSON or PNG. */
    private void act(Context ctx, String actionName) {
        Principal who = auth.principal(ctx.header("Authorization"));
        DeskAction action = DeskAction.parse(actionName);
        // The options are read for every action, so that one given to an action it does not apply to
        // is refused by RunDeskAction, on record, with a reason.
        allowOnly(ctx, Set.of("force", "undo", "for", "discard-saved-state"));
        RunDeskAction.Options options = new RunDeskAction.Options(
                flag(ctx, "force"), flag(ctx, "undo"), holdFor(ctx), flag(ctx, "discard-saved-state"));
        ConnectionIdleTime.atLeast(ctx, Duration.ofSeconds(action.waitSeconds + 30));
        String machine = ctx.pathParam("name");
        RunDeskAction.Done done = run.run(who, machine, action, options);
        DeskCommandResult result = done.result();
        if (done.auditId() > 0) ctx.header("X-Cyphon-Desk-Audit", Long.toString(done.auditId()));
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

    /** {@code for=2h}: how long the action holds the VM; null: until released. */
    private static Duration holdFor(Context ctx) {
        String s = ctx.queryParam("for");
        if (s == null) return null;
        Duration d;
        try {
            d = Durations.parse(s);
        } catch (IllegalArgumentException e) {
            throw ApiError.badField("for", e.getMessage());
        }
        if (d.toSeconds() < 1) throw ApiError.badField("for", "must be at least 1s");
        if (d.compareTo(MAX_HOLD) > 0)
            throw ApiError.badField(
                    "for", "at most " + Durations.asWritten(MAX_HOLD) + " (or leave it out: until released)");
        return d;
    }

    /** The agent's desk events: strict JSON, each field present and within the audit log's columns. */
    private List<DeskEvent> events(Context ctx, BodyTimeout bodyTimeout) {
        byte[] body = bodyTimeout.read(ctx, in -> in.readNBytes((int) MAX_EVENTS_BYTES + 1));
        if (body.length > MAX_EVENTS_BYTES)
            throw new ApiError(413, "body: at most " + (MAX_EVENTS_BYTES >> 20) + " MiB of desk events", "body");
        DeskEventList list;
        try {
            list = json.readValue(body, DeskEventList.class);
        } catch (IOException e) {
            throw ApiError.badField("body", "not a DeskEventList: " + firstLine(e.getMessage()));
        }
        if (list == null || list.events() == null) throw ApiError.badField("events", "a list is required");
        if (list.events().size() > MAX_EVENTS) throw ApiError.badField("events", "at most " + MAX_EVENTS + " at once");
        for (DeskEvent e : list.events()) {
            if (e == null) throw ApiError.badField("events", "an event is null");
            text("origin", e.origin(), 64);
            if (e.at() == null) throw ApiError.badField("at", "required");
            text("principal", e.principal(), 128);
            if (!EVENT_ROLES.contains(e.role())) throw ApiError.badField("role", "must be one of keeper, vm, owner");
            text("action", e.action(), 32);
            if (e.arguments() != null && e.arguments().length() > 200)
                throw ApiError.badField("arguments", "longer than 200 characters");
            if (!EVENT_RESULTS.contains(e.result()))
                throw ApiError.badField("result", "must be one of ok, failed, refused");
        }
        return list.events();
    }

    private static void text(String field, String value, int max) {
        if (value == null || value.isBlank()) throw ApiError.badField(field, "required");
        if (value.length() > max) throw ApiError.badField(field, "longer than " + max + " characters");
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
            if (v != 0) return v; // negative: a read, which is not on record
        } catch (NumberFormatException ignored) {
            // below
        }
        throw ApiError.badField("id", "must be a non-zero integer");
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
