package org.cyphon.coordinator.http;

import io.javalin.router.JavalinDefaultRouting;
import java.util.Set;
import org.cyphon.coordinator.auth.Principal;
import org.cyphon.core.protocol.AbsenceRequest;
import org.cyphon.core.protocol.OwnerAtDesk;
import org.cyphon.core.protocol.OwnerRequest;

/**
 * The desks' track record: declare an owner away or back (the desk's owner, or an admin), set a
 * desk's owner (admin), export the presence history (admin). Each reply to a change is the
 * machine's view, with its owner and absence.
 */
final class TrackRecordRoutes {
    private final Services s;
    private final RequestBodies bodies;

    TrackRecordRoutes(Services s, RequestBodies bodies) {
        this.s = s;
        this.bodies = bodies;
    }

    void register(JavalinDefaultRouting r) {
        r.post("/api/v1/machines/{name}/away", ctx -> {
            Principal p = s.auth().user(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            String name = ctx.pathParam("name");
            s.trackRecord().declare().away(name, bodies.json(ctx, AbsenceRequest.class), p);
            ctx.json(s.readMachines().show(name));
        });
        r.post("/api/v1/machines/{name}/back", ctx -> {
            Principal p = s.auth().user(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            String name = ctx.pathParam("name");
            s.trackRecord().declare().back(name, p);
            ctx.json(s.readMachines().show(name));
        });
        // The owner at the desk, without a token: relayed by the desk's own agent.
        r.post("/api/v1/agents/{machine}/owner/away", ctx -> {
            String machine = ctx.pathParam("machine");
            s.auth().agent(ctx.header("Authorization"), machine);
            Params.allowOnly(ctx, Set.of());
            s.trackRecord().declare().awayAtDesk(machine, bodies.json(ctx, OwnerAtDesk.class));
            ctx.json(s.readMachines().show(machine));
        });
        r.post("/api/v1/agents/{machine}/owner/back", ctx -> {
            String machine = ctx.pathParam("machine");
            s.auth().agent(ctx.header("Authorization"), machine);
            Params.allowOnly(ctx, Set.of());
            s.trackRecord().declare().backAtDesk(machine, bodies.json(ctx, OwnerAtDesk.class));
            ctx.json(s.readMachines().show(machine));
        });
        r.post("/api/v1/machines/{name}/owner", ctx -> {
            s.auth().admin(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of());
            String name = ctx.pathParam("name");
            OwnerRequest req = bodies.json(ctx, OwnerRequest.class);
            s.trackRecord().declare().setOwner(name, req == null ? null : req.owner());
            ctx.json(s.readMachines().show(name));
        });
        r.get("/api/v1/history", ctx -> {
            s.auth().admin(ctx.header("Authorization"));
            Params.allowOnly(ctx, Set.of("since", "machine"));
            String text =
                    s.trackRecord().history().export(Params.optString(ctx, "since"), Params.optString(ctx, "machine"));
            ctx.contentType("text/plain; charset=utf-8").result(text);
        });
    }
}
