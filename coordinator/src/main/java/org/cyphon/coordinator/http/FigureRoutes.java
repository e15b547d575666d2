package org.cyphon.coordinator.http;

import io.javalin.router.JavalinDefaultRouting;
import java.util.Set;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.harvest.ReadHarvest;
import org.cyphon.coordinator.simulate.RunSimulations;

/**
 * The dashboard's figures: {@code /api/v1/harvest} (users), and {@code /api/v1/simulate} (admin):
 * what can be simulated here, uploading a trace, starting a run, the run, its HTML report.
 */
final class FigureRoutes {
    /** The simulator's report has its own inline styles and no script; it may be framed by the dashboard only. */
    static final String REPORT_CSP =
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox";

    private final Services s;
    private final RequestBodies bodies;

    FigureRoutes(Services s, RequestBodies bodies) {
        this.s = s;
        this.bodies = bodies;
    }

    void register(JavalinDefaultRouting r) {
        r.get("/api/v1/harvest", ctx -> {
            s.auth().user(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of("days"));
            Long days = Params.optLong(ctx, "days", 1, ReadHarvest.MAX_DAYS);
            ctx.json(s.harvest().read(days == null ? 14 : days.intValue()));
        });
        r.get("/api/v1/simulate", ctx -> {
            s.auth().admin(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            ctx.json(s.simulations().choices());
        });
        r.post("/api/v1/simulate", ctx -> {
            s.auth().admin(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            ctx.status(202).json(s.simulations().start(bodies.json(ctx, RunSimulations.Request.class)));
        });
        // A trace uploaded from the Simulate page: streamed to disk and read in full before it is
        // kept, bounded by UploadTraces.MAX_BYTES, not by http.max_body.
        r.put("/api/v1/simulate/traces/{name}", ctx -> {
            s.auth().admin(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            String name = ctx.pathParam("name");
            s.simulations().uploads().admit(name, ctx.req().getContentLengthLong());
            ctx.status(201)
                    .json(bodies.timeout()
                            .read(ctx, body -> s.simulations().uploads().upload(name, body)));
        });
        r.get("/api/v1/simulate/{id}", ctx -> {
            s.auth().admin(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            ctx.json(s.simulations().run(Params.id(ctx, "id")));
        });
        r.get("/api/v1/simulate/{id}/report", ctx -> {
            s.auth().admin(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            String html = s.simulations().report(Params.id(ctx, "id"));
            if (html == null)
                throw new ApiError(404, "no report " + ctx.pathParam("id") + " (the last 5 are kept)", null);
            ctx.header("Content-Security-Policy", REPORT_CSP);
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("X-Frame-Options", "SAMEORIGIN");
            ctx.contentType("text/html; charset=utf-8").result(html);
        });
    }
}
