package org.cyphon.coordinator.http;

import io.javalin.router.JavalinDefaultRouting;
import java.util.Set;

/** {@code GET /api/v1/coordinators} (users): the coordinators on the pool's store, and who leads. */
final class CoordinatorRoutes {
    private final Services s;

    CoordinatorRoutes(Services s) {
        this.s = s;
    }

    void register(JavalinDefaultRouting r) {
        r.get("/api/v1/coordinators", ctx -> {
            s.auth().user(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            ctx.json(s.coordinators().list());
        });
    }
}
