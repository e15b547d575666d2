package org.cyphon.coordinator.auth;

import java.util.List;
import java.util.Map;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.TokenTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code DELETE /tokens/{name}} and {@code DELETE /tokens?id=ID} (admin): a user's tokens, or one
 * token, stop working at once: the store forgets them, then the cache does, before the reply.
 * The data dir's own tokens are not revoked here (the coordinator would put them back at its next
 * start): replace {@code admin.token} or {@code enroll.token} and restart instead.
 */
public final class RevokeTokens {
    private static final Logger log = LoggerFactory.getLogger(RevokeTokens.class);

    private final Database db;
    private final Authenticate auth;

    public RevokeTokens(Database db, Authenticate auth) {
        this.db = db;
        this.auth = auth;
    }

    /** Every user or admin token of user {@code name}. @return how many */
    public Map<String, Object> byName(String name, Principal by) {
        if (name.equals(Principal.ADMIN.name()) || name.equals(Principal.ENROLL.name())) throw dataDirToken(name);
        int n = db.transactions()
                .write(c ->
                        TokenTable.delete(c, Role.USER.name(), name) + TokenTable.delete(c, Role.ADMIN.name(), name));
        auth.forget(new Principal(Role.USER, name));
        auth.forget(new Principal(Role.ADMIN, name));
        if (n == 0) throw ApiError.notFound("user '" + name + "' holds no token");
        log.info("{} token(s) of '{}' revoked by {}", n, name, by.name());
        return Map.of("revoked", n);
    }

    /** The one token whose id (the start of its hash, as {@code cyphon token list} shows) is {@code id}. */
    public Map<String, Object> byId(String id, Principal by) {
        if (!id.matches("[0-9a-f]{" + ListTokens.ID_LENGTH + "}"))
            throw ApiError.badField(
                    "id", "must be the " + ListTokens.ID_LENGTH + " hex digits cyphon token list shows");
        TokenTable.Row row = db.transactions().write(c -> {
            List<TokenTable.Row> match = TokenTable.all(c).stream()
                    .filter(r -> r.hash().startsWith(id))
                    .toList();
            if (match.isEmpty()) return null;
            TokenTable.Row r = match.get(0);
            if (dataDir(r)) return r;
            TokenTable.deleteHash(c, r.hash());
            return r;
        });
        if (row == null) throw ApiError.notFound("no token with id " + id);
        if (dataDir(row)) throw dataDirToken(row.holder().name());
        auth.forgetHash(row.hash());
        log.info(
                "token {} of {} '{}' revoked by {}",
                id,
                row.holder().role(),
                row.holder().name(),
                by.name());
        return Map.of("revoked", 1);
    }

    private static boolean dataDir(TokenTable.Row r) {
        return (r.holder().role().equals(Role.ADMIN.name()) && r.holder().name().equals(Principal.ADMIN.name()))
                || r.holder().role().equals(Role.ENROLL.name());
    }

    private static ApiError dataDirToken(String name) {
        return ApiError.badField(
                "name",
                "'" + name + "' is the data dir's own token: replace " + name
                        + ".token in the coordinator's data dir and restart it instead");
    }
}
