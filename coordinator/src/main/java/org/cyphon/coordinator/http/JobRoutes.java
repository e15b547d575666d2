package org.cyphon.coordinator.http;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import java.util.EnumSet;
import java.util.Set;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.auth.Principal;
import org.cyphon.coordinator.jobs.ChangeJobState;
import org.cyphon.coordinator.logs.ReadOutput;
import org.cyphon.coordinator.store.JobFilter;
import org.cyphon.core.job.JobState;
import org.cyphon.core.protocol.JobBatch;
import org.cyphon.core.protocol.JobSubmission;

/** The users' job calls under {@code /api/v1/jobs}. */
final class JobRoutes {
    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 100_000;

    private final Services s;
    private final RequestBodies bodies;

    JobRoutes(Services s, RequestBodies bodies) {
        this.s = s;
        this.bodies = bodies;
    }

    void register(JavalinDefaultRouting r) {
        r.post("/api/v1/jobs", this::submit);
        r.post("/api/v1/jobs/batch", ctx -> {
            Principal p = user(ctx);
            Params.allowOnly(ctx, Set.of());
            ctx.status(201).json(s.submit().submitBatch(p, bodies.json(ctx, JobBatch.class)));
        });
        r.post("/api/v1/jobs/cancel", ctx -> changeAll(ctx, ChangeJobState.Action.CANCEL));
        r.post("/api/v1/jobs/hold", ctx -> changeAll(ctx, ChangeJobState.Action.HOLD));
        r.post("/api/v1/jobs/release", ctx -> changeAll(ctx, ChangeJobState.Action.RELEASE));
        r.get("/api/v1/jobs", this::list);
        r.get("/api/v1/jobs/{id}", ctx -> {
            Principal p = user(ctx);
            Params.allowOnly(ctx, Set.of());
            ctx.json(s.readJobs().show(p, Params.id(ctx, "id")));
        });
        r.post("/api/v1/jobs/{id}/cancel", ctx -> change(ctx, ChangeJobState.Action.CANCEL));
        r.post("/api/v1/jobs/{id}/hold", ctx -> change(ctx, ChangeJobState.Action.HOLD));
        r.post("/api/v1/jobs/{id}/release", ctx -> change(ctx, ChangeJobState.Action.RELEASE));
        r.get("/api/v1/jobs/{id}/events", ctx -> {
            user(ctx);
            Params.allowOnly(ctx, Set.of());
            ctx.json(s.readJobs().events(Params.id(ctx, "id")));
        });
        r.get("/api/v1/jobs/{id}/logs", this::logs);
    }

    private void submit(Context ctx) {
        Principal p = user(ctx);
        Params.allowOnly(ctx, Set.of());
        JobSubmission sub = bodies.json(ctx, JobSubmission.class);
        ctx.status(201).json(s.submit().submit(p, sub));
    }

    private static EnumSet<JobState> states(Context ctx) {
        EnumSet<JobState> states = EnumSet.noneOf(JobState.class);
        for (String w : Params.csv(ctx.queryParam("state"))) {
            try {
                states.add(JobState.fromWire(w));
            } catch (IllegalArgumentException e) {
                throw ApiError.badField("state", e.getMessage());
            }
        }
        return states;
    }

    /**
     * {@code POST /jobs/cancel|hold|release?state=&name=&owner=}: the action on every matching job
     * of the owner (default: the caller), in one transaction. With neither state nor name,
     * {@code all=true} must say that every one of the owner's jobs is meant.
     */
    private void changeAll(Context ctx, ChangeJobState.Action action) {
        Principal p = user(ctx);
        Params.allowOnly(ctx, Set.of("state", "owner", "name", "all"));
        EnumSet<JobState> states = states(ctx);
        String name = Params.optString(ctx, "name");
        String all = Params.optString(ctx, "all");
        if (all != null && !all.equals("true") && !all.equals("false"))
            throw ApiError.badField("all", "must be true or false, got '" + Params.abbreviate(all) + "'");
        if (states.isEmpty() && name == null && !"true".equals(all))
            throw ApiError.badField(
                    "all",
                    "give state or name to choose jobs, or all=true to "
                            + action.name().toLowerCase(java.util.Locale.ROOT) + " every one");
        JobFilter f = new JobFilter(states, Params.optString(ctx, "owner"), name, null, Integer.MAX_VALUE);
        ctx.json(s.changeJob().applyAll(p, f, action));
    }

    private void list(Context ctx) {
        Principal p = user(ctx);
        Params.allowOnly(ctx, Set.of("state", "owner", "name", "machine", "limit", "before"));
        EnumSet<JobState> states = states(ctx);
        Long limit = Params.optLong(ctx, "limit", 1, MAX_LIMIT);
        JobFilter f = new JobFilter(
                states,
                Params.optString(ctx, "owner"),
                Params.optString(ctx, "name"),
                Params.optString(ctx, "machine"),
                limit == null ? DEFAULT_LIMIT : limit.intValue(),
                Params.optLong(ctx, "before", 1, Long.MAX_VALUE));
        ctx.json(s.readJobs().list(p, f));
    }

    private void change(Context ctx, ChangeJobState.Action action) {
        Principal p = user(ctx);
        Params.allowOnly(ctx, Set.of());
        ctx.json(s.changeJob().apply(p, Params.id(ctx, "id"), action));
    }

    private void logs(Context ctx) throws Exception {
        Principal p = user(ctx);
        Params.allowOnly(ctx, Set.of("stream", "offset", "attempt"));
        long id = Params.id(ctx, "id");
        String stream = Params.stream(ctx.queryParam("stream") == null ? "stdout" : ctx.queryParam("stream"), "stream");
        Long offset = Params.optLong(ctx, "offset", 0, Long.MAX_VALUE);
        Long attempt = Params.optLong(ctx, "attempt", 1, Integer.MAX_VALUE);
        ReadOutput.Output out = s.readOutput()
                .read(p, id, stream, offset == null ? 0 : offset, attempt == null ? null : attempt.intValue());
        ctx.header("X-Cyphon-Log-Size", Long.toString(out.size()));
        ctx.header("X-Cyphon-Log-Final", Boolean.toString(out.last()));
        if (out.truncated()) ctx.header("X-Cyphon-Log-Truncated", "true");
        ctx.contentType("text/plain");
        ctx.result(out.bytes());
    }

    private Principal user(Context ctx) {
        return s.auth().user(ctx.header("Authorization"));
    }
}
