package org.cyphon.cli;

import java.time.Duration;
import java.util.List;
import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.Table;
import org.cyphon.cli.client.WireJson;
import org.cyphon.core.protocol.ShareList;
import org.cyphon.core.protocol.ShareView;
import org.cyphon.core.text.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cyphon users}: fair share, like {@code condor_userprio}: who is served first and why. */
@Command(
        name = "users",
        mixinStandardHelpOptions = true,
        description = {
            "List submitters by fair share: recent usage (CPU-hours, decayed with the pool's half-life), queued and running jobs.",
            "The least recent usage is served first; priorities order each submitter's own jobs."
        })
public final class UsersCommand extends ApiCommand {
    @Option(names = "--json", description = "Print the API's ShareList JSON instead of the table.")
    boolean json;

    @Override
    protected int run(CyphonClient client) {
        ShareList list = client.users();
        if (json) {
            print(WireJson.pretty(list));
            return 0;
        }
        print(table(list.users() == null ? List.of() : list.users()).render());
        note("usage half-life " + Durations.format(Duration.ofSeconds(list.halfLifeSeconds()))
                + "; first listed is served first");
        return 0;
    }

    /** Package-private for the formatting tests. */
    static Table table(List<ShareView> users) {
        Table t = new Table("USER", "USAGE", "QUEUED", "RUNNING").alignRight(1, 2, 3);
        for (ShareView u : users)
            t.row(
                    u.owner(),
                    String.format(java.util.Locale.ROOT, "%.2fh", u.usageCpuSeconds() / 3600),
                    u.queued(),
                    u.running());
        return t;
    }
}
