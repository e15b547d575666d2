package org.cyphon.coordinator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.cyphon.core.protocol.DeskView;
import org.cyphon.core.protocol.EnrollReply;
import org.cyphon.core.protocol.EnrollRequest;
import org.cyphon.core.protocol.Heartbeat;
import org.cyphon.core.protocol.HeartbeatReply;

/** An agent that reports only its owner's presence, over the real HTTP API, on the test's clock. */
final class DeskBeats {
    final String name;
    final ApiClient api;
    private final TestCoordinator c;
    /** When the owner last left the desk; null while present. */
    private Instant leftAt;

    private DeskBeats(TestCoordinator c, String name, ApiClient api) {
        this.c = c;
        this.name = name;
        this.api = api;
    }

    /** Enrolls with 4 CPUs, naming an owner and a zone (either may be null). */
    static DeskBeats enroll(TestCoordinator c, String name, String owner, String zone) {
        ApiClient enroller = new ApiClient(c.url(), c.coordinator().enrollToken());
        EnrollReply r = enroller.post(
                "/api/v1/agents/enroll",
                new EnrollRequest(name, 4, 8L << 30, "nice-only", null, "test", null, owner, zone),
                EnrollReply.class);
        return new DeskBeats(c, name, new ApiClient(c.url(), r.agentToken()));
    }

    /** A beat saying the owner is at the desk now. */
    HeartbeatReply present() {
        leftAt = null;
        return send("present", 0);
    }

    /** A beat saying the owner is away; they left {@code ago} before now the first time, and stay gone. */
    HeartbeatReply away(Duration ago) {
        if (leftAt == null) leftAt = c.clock.instant().minus(ago);
        return send("away", Duration.between(leftAt, c.clock.instant()).toSeconds());
    }

    HeartbeatReply away() {
        return away(Duration.ZERO);
    }

    /** A beat from a headless agent, which has never seen anyone: nobody seen, after a minute of watching. */
    HeartbeatReply awayNobodySeen() {
        return send("away", 60, true);
    }

    /** The same from an agent before {@code nobodySeen}, which said it with an idle time counted from 1970. */
    HeartbeatReply awayNobodySeenByAnOlderAgent() {
        return send("away", c.clock.instant().getEpochSecond(), false);
    }

    /**
     * Tells the coordinator the desk is going to sleep, its owner away since they last left, with
     * one card ({@code eth0}) whose Wake-on-LAN state is {@code wakeOnLan}.
     */
    ApiClient.Reply sleep(String mac, String wakeOnLan, String broadcast) {
        long idle =
                leftAt == null ? 0 : Duration.between(leftAt, c.clock.instant()).toSeconds();
        DeskView desk = new DeskView("away", idle, false, true, "desktop", List.of("test"), List.of());
        var nic = new org.cyphon.core.protocol.NicView(
                "eth0", mac, wakeOnLan, "test", broadcast == null ? List.of() : List.of(broadcast));
        return api.post(
                "/api/v1/agents/" + name + "/sleep",
                new org.cyphon.core.protocol.SleepNotice("suspend", List.of(nic), desk));
    }

    private HeartbeatReply send(String owner, long idleSeconds) {
        return send(owner, idleSeconds, false);
    }

    private HeartbeatReply send(String owner, long idleSeconds, boolean nobodySeen) {
        DeskView desk = new DeskView(
                owner, idleSeconds, nobodySeen, !"present".equals(owner), "desktop", List.of("test"), List.of());
        return api.post(
                "/api/v1/agents/" + name + "/heartbeat",
                new Heartbeat(4, 8L << 30, "nice-only", null, List.of(), null, desk),
                HeartbeatReply.class);
    }
}
