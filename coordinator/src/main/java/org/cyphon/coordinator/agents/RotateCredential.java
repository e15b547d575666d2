package org.cyphon.coordinator.agents;

import java.sql.Connection;
import java.sql.SQLException;
import org.cyphon.coordinator.auth.Role;
import org.cyphon.coordinator.auth.Tokens;
import org.cyphon.coordinator.store.TokenTable;

/**
 * The heartbeat's part of rotating an agent's credential: a fresh credential, stored pending (its
 * hash only), replacing any handed out before and never used (that reply was lost). Its first use
 * retires the old one ({@link org.cyphon.coordinator.auth.Authenticate}).
 */
final class RotateCredential {
    private RotateCredential() {}

    /** In the heartbeat's transaction; returns the new credential for the reply. */
    static String handOut(Connection c, String machine, long now) throws SQLException {
        String token = Tokens.newToken();
        TokenTable.deletePending(c, machine);
        TokenTable.insert(c, Tokens.hash(token), Role.AGENT.name(), machine, now, null, true);
        return token;
    }
}
