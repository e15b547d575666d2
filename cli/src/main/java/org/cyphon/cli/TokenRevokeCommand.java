package org.cyphon.cli;

import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.InvalidInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cyphon token revoke NAME} (admin): every token of user NAME stops working at once;
 * {@code --id ID} revokes the one token with that id ({@code cyphon token list}).
 */
@Command(
        name = "revoke",
        mixinStandardHelpOptions = true,
        description = "Revoke every token of user NAME, or one token by --id; they get 401 from the next request on.")
public final class TokenRevokeCommand extends ApiCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "the user whose tokens to revoke")
    String name;

    @Option(names = "--id", paramLabel = "ID", description = "revoke only the token with this id (cyphon token list)")
    String id;

    @Override
    protected void checkInput() {
        if ((name == null) == (id == null))
            throw new InvalidInput("name a user (NAME) or one token (--id ID), not both");
    }

    @Override
    protected int run(CyphonClient client) {
        int n = id != null ? client.revokeToken(id) : client.revokeTokens(name);
        print("revoked " + n + " token" + (n == 1 ? "" : "s") + (id != null ? " (id " + id + ")" : " of " + name)
                + "\n");
        return 0;
    }
}
