package org.cyphon.coordinator.auth;

import java.time.Clock;
import java.util.regex.Pattern;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.TokenTable;
import org.cyphon.core.protocol.TokenReply;
import org.cyphon.core.protocol.TokenRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /tokens} (admin): a new token for user {@code name}, with the admin role if asked.
 * The token is shown once, in the reply; only its hash is kept. A user may hold several tokens.
 */
public final class MintToken {
    private static final Logger log = LoggerFactory.getLogger(MintToken.class);
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    private final Database db;
    private final Clock clock;
    private final Authenticate auth;

    public MintToken(Database db, Clock clock, Authenticate auth) {
        this.db = db;
        this.clock = clock;
        this.auth = auth;
    }

    public TokenReply mint(TokenRequest r, Principal by) {
        if (r == null) throw ApiError.badField("body", "a token request object is required");
        if (r.name() == null || !NAME.matcher(r.name()).matches()) {
            throw ApiError.badField(
                    "name",
                    "must be letters, digits and ._@- (at most 64, starting with a letter or digit), got " + r.name());
        }
        // "admin" is the data dir token's name: a user of that name would own the admin's jobs.
        if (r.name().equals(Principal.ADMIN.name()) || r.name().equals(Principal.ENROLL.name())) {
            throw ApiError.badField("name", "'" + r.name() + "' is reserved");
        }
        boolean admin = Boolean.TRUE.equals(r.admin());
        Long expiresAt = null;
        if (r.expires() != null) {
            java.time.Duration d;
            try {
                d = org.cyphon.core.text.Durations.parse(r.expires());
            } catch (IllegalArgumentException e) {
                throw ApiError.badField("expires", e.getMessage());
            }
            if (d.isZero() || d.isNegative()) throw ApiError.badField("expires", "must be longer than zero");
            expiresAt = clock.millis() + d.toMillis();
        }
        Long expiry = expiresAt;
        Principal p = new Principal(admin ? Role.ADMIN : Role.USER, r.name());
        String token = Tokens.newToken();
        String hash = Tokens.hash(token);
        db.transactions().write(c -> {
            TokenTable.insert(c, hash, p.role().name(), p.name(), clock.millis(), expiry, false);
            return null;
        });
        auth.remember(token, p, expiry);
        log.info(
                "token {} minted for {} '{}' by {}{}",
                ListTokens.id(hash),
                p.role(),
                p.name(),
                by.name(),
                expiry == null ? "" : " (expires " + java.time.Instant.ofEpochMilli(expiry) + ")");
        return new TokenReply(
                p.name(),
                token,
                admin,
                ListTokens.id(hash),
                expiry == null ? null : java.time.Instant.ofEpochMilli(expiry));
    }
}
