package org.cyphon.coordinator.http;

import io.javalin.router.JavalinDefaultRouting;
import java.util.Set;
import org.cyphon.coordinator.auth.Principal;
import org.cyphon.core.protocol.TokenRequest;

/** {@code /api/v1/machines} (read: users; drain, undrain, wake: admin) and {@code POST /api/v1/tokens} (admin). */
final class MachineRoutes {
    private final Services s;
    private final RequestBodies bodies;

    MachineRoutes(Services s, RequestBodies bodies) {
        this.s = s;
        this.bodies = bodies;
    }

    void register(JavalinDefaultRouting r) {
        r.get("/api/v1/machines", ctx -> {
            s.auth().user(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            ctx.json(s.readMachines().list());
        });
        r.get("/api/v1/machines/{name}", ctx -> {
            s.auth().user(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            ctx.json(s.readMachines().show(ctx.pathParam("name")));
        });
        r.post("/api/v1/machines/{name}/drain", ctx -> {
            Principal p = s.auth().admin(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            ctx.json(s.drain().set(ctx.pathParam("name"), true, p.name()));
        });
        r.post("/api/v1/machines/{name}/undrain", ctx -> {
            Principal p = s.auth().admin(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            ctx.json(s.drain().set(ctx.pathParam("name"), false, p.name()));
        });
        r.post("/api/v1/machines/{name}/wake", ctx -> {
            Principal p = s.auth().admin(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            ctx.json(s.wakeDesk().byAdmin(ctx.pathParam("name"), p.name()));
        });
        r.post("/api/v1/tokens", ctx -> {
            Principal p = s.auth().admin(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            ctx.json(s.mintToken().mint(bodies.json(ctx, TokenRequest.class), p));
        });
    }
}
