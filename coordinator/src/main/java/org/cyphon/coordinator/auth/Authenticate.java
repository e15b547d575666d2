package org.cyphon.coordinator.auth;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.store.TokenTable;
import org.cyphon.coordinator.store.Transactions;

/**
 * Turns an {@code Authorization: Bearer} header into a {@link Principal}, or a 401; then checks the
 * principal may do the call, or a 403.
 *
 * <p>Known tokens are cached by hash: every agent call is authenticated, and the store is the only
 * place tokens change, through this process, which evicts the cache when it removes a token.
 */
public final class Authenticate {
    private static final int MAX_TOKEN_LENGTH = 512;

    private final Transactions tx;
    private final Map<String, Principal> byHash = new ConcurrentHashMap<>();

    public Authenticate(Transactions tx) {
        this.tx = tx;
    }

    /** The caller, from the header's value (may be null). @throws ApiError 401 when missing or unknown */
    public Principal principal(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new ApiError(401, "missing token: send Authorization: Bearer <token>", null);
        }
        String a = authorization.trim();
        if (a.length() < 7 || !a.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            throw new ApiError(401, "the Authorization header must be 'Bearer <token>'", null);
        }
        String token = a.substring(7).trim();
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) throw new ApiError(401, "unknown token", null);
        String hash = Tokens.hash(token);
        Principal p = byHash.get(hash);
        if (p != null) return p;
        TokenTable.Holder h = tx.read(c -> TokenTable.find(c, hash));
        if (h == null) throw new ApiError(401, "unknown token", null);
        p = new Principal(Role.valueOf(h.role()), h.name());
        byHash.put(hash, p);
        return p;
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

    public Principal enroller(String authorization) {
        Principal p = principal(authorization);
        if (p.role() != Role.ENROLL && !p.admin()) throw forbidden(p, "enrolling needs the enrollment token");
        return p;
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
    public void remember(String token, Principal p) {
        byHash.put(Tokens.hash(token), p);
    }

    /** Forgets every cached token of {@code p} (after the store removed them). */
    public void forget(Principal p) {
        byHash.values().removeIf(p::equals);
    }

    private static ApiError forbidden(Principal p, String why) {
        return new ApiError(
                403, why + " (you are " + p.role().name().toLowerCase(Locale.ROOT) + " '" + p.name() + "')", null);
    }
}
