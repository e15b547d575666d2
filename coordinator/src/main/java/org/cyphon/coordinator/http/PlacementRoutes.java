package org.cyphon.coordinator.http;

import io.javalin.router.JavalinDefaultRouting;
import java.util.Set;
import org.cyphon.coordinator.auth.Principal;
import org.cyphon.core.protocol.LabelRequest;

/** {@code POST /api/v1/machines/{name}/labels} (admin) and {@code GET /api/v1/users} (fair share; users). */
final class PlacementRoutes {
    private final Services s;
    private final RequestBodies bodies;

    PlacementRoutes(Services s, RequestBodies bodies) {
        this.s = s;
        this.bodies = bodies;
    }

    void register(JavalinDefaultRouting r) {
        r.post("/api/v1/machines/{name}/labels", ctx -> {
            Principal p = s.auth().admin(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            ctx.json(s.labels().change(ctx.pathParam("name"), bodies.json(ctx, LabelRequest.class), p.name()));
        });
        r.get("/api/v1/users", ctx -> {
            s.auth().user(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            ctx.json(s.scheduler().shares());
        });
    }
}
