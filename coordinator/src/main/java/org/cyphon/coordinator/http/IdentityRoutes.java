package org.cyphon.coordinator.http;

import io.javalin.router.JavalinDefaultRouting;
import java.util.Set;
import org.cyphon.coordinator.auth.Principal;
import org.cyphon.core.protocol.JoinSecretRequest;

/**
 * Who may join and who a desk is (admin only): join secrets under {@code /api/v1/admin/join-secrets},
 * token listing and revocation under {@code /api/v1/tokens}, and a machine's identity
 * ({@code forget}, {@code approve}, {@code rotate-credentials}) under {@code /api/v1/machines/{name}}.
 */
final class IdentityRoutes {
    private final Services s;
    private final RequestBodies bodies;

    IdentityRoutes(Services s, RequestBodies bodies) {
        this.s = s;
        this.bodies = bodies;
    }

    void register(JavalinDefaultRouting r) {
        r.post("/api/v1/admin/join-secrets", ctx -> {
            Principal p = s.auth().admin(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            JoinSecretRequest req = bodies.json(ctx, JoinSecretRequest.class);
            ctx.status(201).json(s.joinSecrets().mint(req, p));
        });
        r.get("/api/v1/admin/join-secrets", ctx -> {
            s.auth().admin(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            ctx.json(s.joinSecrets().list());
        });
        r.delete("/api/v1/admin/join-secrets/{name}", ctx -> {
            Principal p = s.auth().admin(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            ctx.json(s.joinSecrets().revoke(ctx.pathParam("name"), p));
        });
        r.get("/api/v1/tokens", ctx -> {
            s.auth().admin(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            ctx.json(s.listTokens().list());
        });
        r.delete("/api/v1/tokens", ctx -> {
            Principal p = s.auth().admin(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of("id"));
            String id = ctx.queryParam("id");
            if (id == null)
                throw org.cyphon.coordinator.api.ApiError.badField("id", "is required (or DELETE /tokens/NAME)");
            ctx.json(s.revokeTokens().byId(id, p));
        });
        r.delete("/api/v1/tokens/{name}", ctx -> {
            Principal p = s.auth().admin(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            ctx.json(s.revokeTokens().byName(ctx.pathParam("name"), p));
        });
        r.post("/api/v1/machines/{name}/forget", ctx -> {
            Principal p = s.auth().admin(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            ctx.json(s.identity().forget(ctx.pathParam("name"), p));
        });
        r.post("/api/v1/machines/{name}/approve", ctx -> {
            Principal p = s.auth().admin(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            ctx.json(s.identity().approve(ctx.pathParam("name"), p));
        });
        r.post("/api/v1/machines/{name}/rotate-credentials", ctx -> {
            Principal p = s.auth().admin(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            ctx.json(s.identity().rotate(ctx.pathParam("name"), p));
        });
    }
}
