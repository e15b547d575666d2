package org.cyphon.coordinator.auth;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.TokenTable;

/**
 * The admin and enrollment tokens: read from (or made in) the data dir, and their hashes put in the
 * store if missing, so they work against a fresh database too (e.g. after moving to PostgreSQL).
 * Replacing a file and restarting revokes the token it held before.
 */
public record DataDirTokens(String admin, String enroll) {
    public static final String ADMIN_FILE = "admin.token";
    public static final String ENROLL_FILE = "enroll.token";

    public static DataDirTokens load(Path dataDir, Database db, Clock clock) throws IOException {
        String admin = TokenFiles.readOrCreate(dataDir.resolve(ADMIN_FILE));
        String enroll = TokenFiles.readOrCreate(dataDir.resolve(ENROLL_FILE));
        db.transactions().write(c -> {
            for (var t : new Object[][] {{admin, Principal.ADMIN}, {enroll, Principal.ENROLL}}) {
                String hash = Tokens.hash((String) t[0]);
                Principal p = (Principal) t[1];
                if (TokenTable.find(c, hash) == null)
                    TokenTable.insert(c, hash, p.role().name(), p.name(), clock.millis());
                // A replaced file (its old token stolen, say) retires the old token at this start.
                TokenTable.deleteOthers(c, p.role().name(), p.name(), hash);
            }
            return null;
        });
        return new DataDirTokens(admin, enroll);
    }
}
