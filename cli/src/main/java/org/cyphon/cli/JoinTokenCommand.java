package org.cyphon.cli;

import java.net.URI;
import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.InvalidInput;
import org.cyphon.cli.client.Table;
import org.cyphon.cli.client.WireJson;
import org.cyphon.core.protocol.JoinLine;
import org.cyphon.core.protocol.JoinSecretList;
import org.cyphon.core.protocol.JoinSecretReply;
import org.cyphon.core.protocol.JoinSecretView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cyphon join-token} (admin): prints one join line, {@code cyphon-join:URL,CA,SECRET}, for
 * {@code cyphon agent join} on a desk. The secret enrolls one machine ({@code --uses N}: N, each
 * under a new name) until it expires ({@code --expires}, default 24h). {@code --list} shows the
 * pool's join secrets, {@code --revoke NAME} revokes one.
 */
@Command(
        name = "join-token",
        mixinStandardHelpOptions = true,
        description =
                "Print a join line for `cyphon agent join` on a desk (admin); --list or --revoke NAME manage them.")
public final class JoinTokenCommand extends ApiCommand {
    @Option(
            names = "--expires",
            paramLabel = "DURATION",
            description = "how long the line may be used (default 24h; at most 365d)")
    String expires;

    @Option(
            names = "--uses",
            paramLabel = "N",
            description = "how many desks may join with it, each under a new name (default 1)")
    Integer uses;

    @Option(
            names = "--coordinator",
            paramLabel = "URL",
            description = "the coordinator's URL as desks reach it (default: the URL this command uses)")
    URI url;

    @Option(names = "--list", description = "list the join secrets (never the secrets) instead")
    boolean list;

    @Option(names = "--revoke", paramLabel = "NAME", description = "revoke join secret NAME (see --list) instead")
    String revoke;

    @Option(names = "--json", description = "print the API's JSON instead")
    boolean json;

    @Override
    protected void checkInput() {
        if (list && revoke != null) throw new InvalidInput("--list and --revoke are two different things: give one");
        if ((list || revoke != null) && (expires != null || uses != null || url != null))
            throw new InvalidInput(
                    "--expires, --uses and --coordinator are for making a join line, not with --list or --revoke");
        if (uses != null && uses < 1) throw new InvalidInput("--uses must be at least 1, got " + uses);
    }

    @Override
    protected int run(CyphonClient client) {
        if (list) return list(client.joinSecrets());
        if (revoke != null) {
            JoinSecretView v = client.revokeJoinSecret(revoke);
            print(json ? WireJson.pretty(v) : "join secret " + v.name() + " revoked\n");
            return 0;
        }
        JoinSecretReply r = client.createJoinSecret(expires, uses);
        if (json) {
            print(WireJson.pretty(r));
            return 0;
        }
        URI coordinator = url != null ? url : client.endpoint().url();
        print(new JoinLine(coordinator, r.caFingerprint(), r.secret()).format() + "\n");
        note("join secret " + r.name() + ": " + r.usesLeft() + " desk" + (r.usesLeft() == 1 ? "" : "s") + ", until "
                + r.expiresAt() + ". On each desk, as root: cyphon agent join LINE");
        if (loopback(coordinator))
            note("note: " + coordinator.getHost()
                    + " is this machine; desks elsewhere need --coordinator http(s)://SERVER:PORT");
        return 0;
    }

    private int list(JoinSecretList l) {
        if (json) {
            print(WireJson.pretty(l));
            return 0;
        }
        Table t = new Table("NAME", "STATE", "USES LEFT", "EXPIRES", "BY", "MACHINES").alignRight(2);
        for (JoinSecretView v : l.joinSecrets()) {
            t.row(
                    v.name(),
                    v.state(),
                    v.usesLeft() + "/" + v.uses(),
                    v.expiresAt(),
                    v.createdBy(),
                    v.machines().isEmpty() ? "-" : String.join(",", v.machines()));
        }
        print(t.render());
        return 0;
    }

    /** By the URL's text alone: no name lookup. */
    private static boolean loopback(URI u) {
        String h = u.getHost() == null ? "" : u.getHost();
        return h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]") || h.equals("::1");
    }
}
