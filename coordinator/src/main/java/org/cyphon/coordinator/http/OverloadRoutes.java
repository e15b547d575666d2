package org.cyphon.coordinator.http;

import io.javalin.router.JavalinDefaultRouting;
import java.util.Set;
import org.cyphon.coordinator.auth.Principal;
import org.cyphon.core.protocol.OverloadRequest;

/** {@code /api/v1/overload}: read (users), switch on and off (admin). */
final class OverloadRoutes {
    private final Services s;
    private final RequestBodies bodies;

    OverloadRoutes(Services s, RequestBodies bodies) {
        this.s = s;
        this.bodies = bodies;
    }

    void register(JavalinDefaultRouting r) {
        r.get("/api/v1/overload", ctx -> {
            s.auth().user(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            ctx.json(s.overload().current());
        });
        r.post("/api/v1/overload", ctx -> {
            Principal p = s.auth().admin(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            ctx.json(s.overload().switchOn(bodies.json(ctx, OverloadRequest.class), p.name()));
        });
        r.delete("/api/v1/overload", ctx -> {
            Principal p = s.auth().admin(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            ctx.json(s.overload().switchOff(p.name()));
        });
    }
}
