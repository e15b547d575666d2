package org.cyphon.coordinator.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.store.JoinSecretTable;
import org.cyphon.coordinator.store.MachineTable;
import org.cyphon.coordinator.store.TokenTable;
import org.cyphon.coordinator.store.Transactions;

/**
 * Turns an {@code Authorization: Bearer} header into a {@link Principal}, or a 401; then checks the
 * principal may do the call, or a 403.
 *
 * <p>Known tokens are cached by hash: every agent call is authenticated, and the store is the only
 * place tokens change, through this process, which evicts the cache when it removes a token. A
 * revoke bumps a generation number first, and a lookup that began before it does not fill the
 * cache, so no cached entry outlives a revoke, not even one read concurrently with it. Expiry is
 * checked on every call against the clock, cached or not.
 */
public final class Authenticate {
    private static final int MAX_TOKEN_LENGTH = 512;

    private final Transactions tx;
    private final Clock clock;
    private final Map<String, Cached> byHash = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    private record Cached(Principal principal, Long expiresAt) {}

    /** What may enroll a machine: the pool's local token (or an admin), or a join secret (its hash). */
    public sealed interface Enroller {
        /** The pool's {@code enroll.token} from this machine, or an admin token. */
        record PoolToken(Principal principal) implements Enroller {}

        /** A join secret, by hash; whether it is still usable is decided in the enrollment's transaction. */
        record JoinSecret(String hash) implements Enroller {}
    }

    public Authenticate(Transactions tx, Clock clock) {
        this.tx = tx;
        this.clock = clock;
    }

    /** The caller, from the header's value (may be null). @throws ApiError 401 when missing, unknown or expired */
    public Principal principal(String authorization) {
        String token = bearer(authorization);
        String hash = Tokens.hash(token);
        Cached cached = byHash.get(hash);
        if (cached == null) {
            long gen = generation.get();
            TokenTable.Holder h = tx.read(c -> TokenTable.find(c, hash));
            if (h == null) throw new ApiError(401, "unknown token", null);
            Principal p = new Principal(Role.valueOf(h.role()), h.name());
            if (h.pending()) promote(p, hash);
            cached = new Cached(p, h.expiresAt());
            if (generation.get() == gen) byHash.put(hash, cached);
        }
        if (cached.expiresAt() != null && clock.millis() >= cached.expiresAt()) {
            byHash.remove(hash);
            throw new ApiError(
                    401,
                    "token expired at " + Instant.ofEpochMilli(cached.expiresAt())
                            + ": ask an admin for a new one (cyphon token create)",
                    null);
        }
        return cached.principal();
    }

    /**
     * A rotated agent credential's first use: it becomes the machine's only credential, and the
     * rotation is done. Until now the old one kept working, so the desk never stopped.
     */
    private void promote(Principal agent, String hash) {
        generation.incrementAndGet();
        boolean promoted = tx.write(c -> {
            if (!TokenTable.promote(c, agent.name(), hash)) return false;
            MachineTable.setRotateCredential(c, agent.name(), false);
            return true;
        });
        forget(agent);
        if (!promoted) throw new ApiError(401, "unknown token", null);
    }

    /** A user or admin (submit, read, change own jobs). */
    public Principal user(String authorization) {
        Principal p = principal(authorization);
        if (p.role() != Role.USER && p.role() != Role.ADMIN) throw forbidden(p, "this call is for users");
        return p;
    }

    public Principal admin(String authorization) {
        Principal p = principal(authorization);
        if (!p.admin()) throw forbidden(p, "this call needs an admin token");
        return p;
    }

    /**
     * Who may enroll: an admin; the pool's {@code enroll.token}, but only from the coordinator's own
     * machine ({@code cyphon up}'s local agents); or a join secret, whatever its state (the
     * enrollment's transaction uses it up, or refuses it naming why).
     *
     * @param remoteAddress the caller's IP address
     */
    public Enroller enroller(String authorization, String remoteAddress) {
        String token = bearer(authorization);
        String hash = Tokens.hash(token);
        Principal p;
        try {
            p = principal(authorization);
        } catch (ApiError unknown) {
            if (unknown.status() != 401 || tx.read(c -> JoinSecretTable.byHash(c, hash)) == null) throw unknown;
            return new Enroller.JoinSecret(hash);
        }
        if (p.admin()) return new Enroller.PoolToken(p);
        if (p.role() != Role.ENROLL) throw forbidden(p, "enrolling needs a join secret (cyphon join-token)");
        if (!loopback(remoteAddress)) {
            throw forbidden(
                    p,
                    "the pool's enroll.token enrolls only agents on the coordinator's own machine; "
                            + "join other desks with a join line (an admin runs: cyphon join-token)");
        }
        return new Enroller.PoolToken(p);
    }

    /** The agent of {@code machine} (or an admin). */
    public Principal agent(String authorization, String machine) {
        Principal p = principal(authorization);
        if (p.admin()) return p;
        if (p.role() != Role.AGENT) throw forbidden(p, "this call is for agents");
        if (!p.name().equals(machine)) throw forbidden(p, "this token belongs to machine '" + p.name() + "'");
        return p;
    }

    /** Remembers a token just stored, so its first use needs no query. */
    public void remember(String token, Principal p, Long expiresAt) {
        byHash.put(Tokens.hash(token), new Cached(p, expiresAt));
    }

    /** Remembers a token just stored that never expires. */
    public void remember(String token, Principal p) {
        remember(token, p, null);
    }

    /** Forgets every cached token of {@code p} (after the store removed them). */
    public void forget(Principal p) {
        generation.incrementAndGet();
        byHash.values().removeIf(c -> c.principal().equals(p));
    }

    /** Forgets one cached token by its hash (after the store removed it). */
    public void forgetHash(String hash) {
        generation.incrementAndGet();
        byHash.remove(hash);
    }

    private static String bearer(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new ApiError(401, "missing token: send Authorization: Bearer <token>", null);
        }
        String a = authorization.trim();
        if (a.length() < 7 || !a.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            throw new ApiError(401, "the Authorization header must be 'Bearer <token>'", null);
        }
        String token = a.substring(7).trim();
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) throw new ApiError(401, "unknown token", null);
        return token;
    }

    /** Whether an IP address literal is this machine's (127.0.0.0/8, ::1). */
    static boolean loopback(String address) {
        if (address == null || address.isEmpty()) return false;
        String a =
                address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        // Only literals (IPv4 dotted quads, IPv6 with colons): a name here would be a DNS lookup.
        if (!a.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !a.contains(":")) return false;
        try {
            return InetAddress.getByName(a).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static ApiError forbidden(Principal p, String why) {
        return new ApiError(
                403, why + " (you are " + p.role().name().toLowerCase(Locale.ROOT) + " '" + p.name() + "')", null);
    }
}
