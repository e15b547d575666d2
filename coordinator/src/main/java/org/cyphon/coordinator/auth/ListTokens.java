package org.cyphon.coordinator.auth;

import java.time.Instant;
import java.util.Locale;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.TokenTable;
import org.cyphon.core.protocol.TokenList;
import org.cyphon.core.protocol.TokenView;

/** {@code GET /tokens} (admin): every token by role, name and id; never a token itself. */
public final class ListTokens {
    /** Hex digits of the hash that name one token: 48 bits, unique in any real pool, useless to a thief. */
    static final int ID_LENGTH = 12;

    private final Database db;

    public ListTokens(Database db) {
        this.db = db;
    }

    public TokenList list() {
        return new TokenList(db.transactions().read(c -> TokenTable.all(c)).stream()
                .map(r -> new TokenView(
                        id(r.hash()),
                        r.holder().name(),
                        r.holder().role().toLowerCase(Locale.ROOT),
                        Instant.ofEpochMilli(r.createdAt()),
                        r.holder().expiresAt() == null
                                ? null
                                : Instant.ofEpochMilli(r.holder().expiresAt()),
                        r.holder().pending()))
                .toList());
    }

    /** A token's id: the start of its hash. */
    public static String id(String hash) {
        return hash.substring(0, ID_LENGTH);
    }
}
