package org.cyphon.agent;

import java.io.IOException;
import java.time.Duration;
import org.cyphon.agent.client.CoordinatorLink;
import org.cyphon.agent.client.CoordinatorRefusedException;
import org.cyphon.agent.config.AgentConfig;
import org.cyphon.core.protocol.EnrollReply;
import org.cyphon.core.protocol.EnrollRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How this desk becomes (and stays) a member of the pool: it rejoins with the credentials it kept
 * from an earlier enrollment ({@code state_dir/credentials}), or enrolls with the pool's token,
 * retrying while the coordinator is unreachable and failing at once when the token is refused. A
 * coordinator that no longer knows our token (its database was reset) is enrolled with again.
 */
final class Enrollment {
    private static final Logger log = LoggerFactory.getLogger(Enrollment.class);

    private final AgentConfig config;
    private final CoordinatorLink link;
    private final EnrollRequest request;
    private final Retry retry;
    /** The heartbeat interval the coordinator asked for at the last enrollment (its default until then). */
    private volatile Duration heartbeatEvery = Duration.ofSeconds(2);

    Enrollment(AgentConfig config, CoordinatorLink link, EnrollRequest request, Retry retry) {
        this.config = config;
        this.link = link;
        this.request = request;
        this.retry = retry;
    }

    /** The heartbeat interval the coordinator asked for when we last enrolled. */
    Duration heartbeatEvery() {
        return heartbeatEvery;
    }

    /**
     * Rejoins with saved credentials, or enrolls. Saved credentials win over a configured
     * enrollment token: a join secret is used once, so after the first start the one in agent.toml
     * is spent, and the machine's own credential is who it is.
     */
    void join() throws IOException, CoordinatorRefusedException, InterruptedException {
        var saved = AgentCredentials.load(config.stateDir())
                .filter(c -> c.coordinator().equals(config.coordinator().toString())
                        && c.machine().equals(config.name()));
        if (saved.isPresent()) {
            link.useCredentials(saved.get().machine(), saved.get().token());
            log.info("agent {}: rejoining {} with saved credentials", config.name(), config.coordinator());
            return;
        }
        enroll();
    }

    /** Whether {@link #enroll} can be tried again (an enrollment token is configured). */
    boolean canEnroll() {
        return config.enrollToken() != null;
    }

    /**
     * Enrolls with the pool's token and keeps the credentials it gives us.
     *
     * @throws CoordinatorRefusedException the token is refused, or none is configured
     * @throws InterruptedException        the agent stopped while the coordinator was unreachable
     */
    void enroll() throws IOException, CoordinatorRefusedException, InterruptedException {
        if (config.enrollToken() == null) {
            throw new CoordinatorRefusedException(
                    401,
                    "no enrollment token configured (enroll_token or enroll_token_file in agent.toml)",
                    "enroll_token");
        }
        EnrollReply r = retry.untilReached("enrollment", () -> link.enroll(config.enrollToken(), request));
        heartbeatEvery = Duration.ofMillis(r.heartbeatMillis());
        new AgentCredentials(config.coordinator().toString(), r.machine(), r.agentToken()).save(config.stateDir());
        log.info(
                "agent {}: enrolled with {} (heartbeat {} ms, lease {} ms)",
                r.machine(),
                config.coordinator(),
                r.heartbeatMillis(),
                r.leaseMillis());
    }

    /**
     * The coordinator rotated our credential (an admin asked): keep it first, then use it. Its
     * first use retires the old one, so a crash between the two still leaves a working credential.
     */
    void adopt(String newToken) throws IOException {
        String machine = link.machine();
        new AgentCredentials(config.coordinator().toString(), machine, newToken).save(config.stateDir());
        link.useCredentials(machine, newToken);
        log.info("agent {}: the coordinator rotated our credential; using the new one", machine);
    }

    /**
     * A loop's call was refused. A 401 means the coordinator no longer knows our token (its
     * database was reset): enroll again, if we can. Anything else waits like an outage.
     */
    void refused(String what, CoordinatorRefusedException e, Retry.Backoff backoff) throws InterruptedException {
        if (e.status() == 401 && canEnroll()) {
            log.warn("agent {}: coordinator no longer knows our token; enrolling again", config.name());
            try {
                enroll();
                backoff.succeeded();
            } catch (IOException | CoordinatorRefusedException again) {
                backoff.failed("re-enrollment", again);
            }
            return;
        }
        backoff.failed(what, e);
    }
}
