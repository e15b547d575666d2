package org.cyphon.cli;

import java.nio.file.Path;
import org.cyphon.cli.client.InvalidInput;

/** When an owner's command ({@code cyphon away}, {@code cyphon back}) goes to the local agent rather than the coordinator. */
final class LocalOwner {
    private LocalOwner() {}

    /**
     * No coordinator is configured for this user (no --url/--token, no CYPHON_URL/CYPHON_TOKEN, no
     * client config) and an agent serves an owner socket here: the person at the desk asks its agent.
     */
    static boolean noCoordinator(ConnectionOptions connection, Path stateDir) {
        try {
            connection.endpoint(System.getenv());
            return false;
        } catch (InvalidInput e) {
            try {
                return LocalAgent.serves(LocalAgent.stateDir(null, stateDir));
            } catch (RuntimeException notHere) {
                return false;
            }
        }
    }
}
