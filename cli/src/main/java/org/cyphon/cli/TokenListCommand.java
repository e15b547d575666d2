package org.cyphon.cli;

import java.time.Instant;
import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.Table;
import org.cyphon.cli.client.WireJson;
import org.cyphon.core.protocol.TokenList;
import org.cyphon.core.protocol.TokenView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cyphon token list} (admin): every token by id, holder, role, age and expiry; never a token itself. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List the tokens the coordinator knows (ids, never the tokens themselves).")
public final class TokenListCommand extends ApiCommand {
    @Option(names = "--json", description = "Print the API's TokenList JSON instead.")
    boolean json;

    @Override
    protected int run(CyphonClient client) {
        TokenList list = client.tokens();
        if (json) {
            print(WireJson.pretty(list));
            return 0;
        }
        Instant now = Instant.now();
        Table t = new Table("ID", "NAME", "ROLE", "CREATED", "EXPIRES");
        for (TokenView v : list.tokens()) {
            t.row(
                    v.id(),
                    v.name(),
                    v.role() + (v.pending() ? " (rotated, not used yet)" : ""),
                    v.createdAt(),
                    v.expiresAt() == null ? "never" : v.expiresAt().isAfter(now) ? v.expiresAt() : "expired");
        }
        print(t.render());
        return 0;
    }
}
