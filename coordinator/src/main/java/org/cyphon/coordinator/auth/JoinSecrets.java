package org.cyphon.coordinator.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.function.Supplier;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.JoinSecretTable;
import org.cyphon.core.protocol.JoinSecretList;
import org.cyphon.core.protocol.JoinSecretReply;
import org.cyphon.core.protocol.JoinSecretRequest;
import org.cyphon.core.protocol.JoinSecretView;
import org.cyphon.core.text.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /admin/join-secrets} (admin): mint, list and revoke join secrets. A join secret enrolls
 * one machine by default ({@code uses}: that many, each under a new name), until it expires
 * (default 24 h). Only its SHA-256 is stored; the secret is in the reply, once.
 */
public final class JoinSecrets {
    private static final Logger log = LoggerFactory.getLogger(JoinSecrets.class);
    static final Duration DEFAULT_EXPIRY = Duration.ofHours(24);
    static final Duration MAX_EXPIRY = Duration.ofDays(365);
    static final int MAX_USES = 10_000;

    private final Database db;
    private final Clock clock;
    private final Supplier<String> caFingerprint;

    /** @param caFingerprint the coordinator's CA ({@code sha256:HEX}), or null on plain HTTP */
    public JoinSecrets(Database db, Clock clock, Supplier<String> caFingerprint) {
        this.db = db;
        this.clock = clock;
        this.caFingerprint = caFingerprint;
    }

    public JoinSecretReply mint(JoinSecretRequest r, Principal by) {
        Duration expires = DEFAULT_EXPIRY;
        if (r != null && r.expires() != null) {
            try {
                expires = Durations.parse(r.expires());
            } catch (IllegalArgumentException e) {
                throw ApiError.badField("expires", e.getMessage());
            }
            if (expires.isZero() || expires.isNegative() || expires.compareTo(MAX_EXPIRY) > 0)
                throw ApiError.badField("expires", "must be between 1s and 365d, got " + r.expires());
        }
        int uses = r == null || r.uses() == null ? 1 : r.uses();
        if (uses < 1 || uses > MAX_USES)
            throw ApiError.badField("uses", "must be between 1 and " + MAX_USES + ", got " + uses);
        String secret = Tokens.newToken();
        String name = "join-" + HexFormat.of().formatHex(Tokens.randomBytes(4));
        long now = clock.millis();
        long expiresAt = now + expires.toMillis();
        db.transactions().write(c -> {
            JoinSecretTable.insert(c, name, Tokens.hash(secret), by.name(), now, expiresAt, uses);
            return null;
        });
        log.info(
                "join secret {} minted by {}: {} use(s), expires {}",
                name,
                by.name(),
                uses,
                Instant.ofEpochMilli(expiresAt));
        return new JoinSecretReply(name, secret, Instant.ofEpochMilli(expiresAt), uses, caFingerprint.get());
    }

    public JoinSecretList list() {
        long now = clock.millis();
        return new JoinSecretList(db.transactions().read(JoinSecretTable::all).stream()
                .map(s -> view(s, now))
                .toList());
    }

    /** @throws ApiError 404 if there is no such secret */
    public JoinSecretView revoke(String name, Principal by) {
        long now = clock.millis();
        JoinSecretTable.Row row = db.transactions().write(c -> {
            JoinSecretTable.revoke(c, name, now);
            return JoinSecretTable.byName(c, name);
        });
        if (row == null) throw ApiError.notFound("no join secret '" + name + "'");
        log.info("join secret {} revoked by {}", name, by.name());
        return view(row, now);
    }

    private static JoinSecretView view(JoinSecretTable.Row s, long now) {
        return new JoinSecretView(
                s.name(),
                s.state(now),
                s.createdBy(),
                Instant.ofEpochMilli(s.createdAt()),
                Instant.ofEpochMilli(s.expiresAt()),
                s.uses(),
                s.usesLeft(),
                s.revokedAt() == null ? null : Instant.ofEpochMilli(s.revokedAt()),
                s.machines());
    }
}
