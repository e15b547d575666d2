package org.cyphon.cli;

import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.WireJson;
import org.cyphon.core.protocol.TokenReply;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cyphon token create NAME [--admin] [--expires 30d]} (admin): mints a token for a user and prints only the
 * token, so {@code TOKEN=$(cyphon token create alice)} works. The coordinator keeps no way to show
 * it again.
 */
@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = "Create a token for user NAME and print it (only the token, on stdout).")
public final class TokenCreateCommand extends ApiCommand {
    @Parameters(
            paramLabel = "NAME",
            description = "The user the token stands for; jobs submitted with it are owned by NAME.")
    String name;

    @Option(names = "--admin", description = "The token may do everything, like the admin token.")
    boolean admin;

    @Option(
            names = "--expires",
            paramLabel = "DURATION",
            description = "The token stops working after this long (e.g. 30d, 12h); default: never.")
    String expires;

    @Option(names = "--json", description = "Print the API's TokenReply JSON instead.")
    boolean json;

    @Override
    protected int run(CyphonClient client) {
        TokenReply reply = client.createToken(name, admin, expires);
        print(json ? WireJson.pretty(reply) : reply.token() + "\n");
        return 0;
    }
}
