package org.cyphon.cli;

import java.time.Instant;
import java.util.List;
import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.Display;
import org.cyphon.cli.client.Table;
import org.cyphon.cli.client.WireJson;
import org.cyphon.core.protocol.CoordinatorList;
import org.cyphon.core.protocol.CoordinatorView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cyphon coordinators}: the coordinators serving the pool from one database, and which leads. */
@Command(
        name = "coordinators",
        mixinStandardHelpOptions = true,
        description = {
            "List the coordinators on the pool's database: id, URL, when each was last seen, which one leads.",
            "The leader runs the scheduler and the lease keeper; the others serve the API and take over"
                    + " within one lease when the leader stops."
        })
public final class CoordinatorsCommand extends ApiCommand {
    @Option(names = "--json", description = "Print the API's CoordinatorList JSON instead of the table.")
    boolean json;

    @Override
    protected int run(CyphonClient client) {
        CoordinatorList list = client.coordinators();
        if (json) {
            print(WireJson.pretty(list));
            return 0;
        }
        Instant now = Instant.now();
        print(table(list.coordinators() == null ? List.of() : list.coordinators(), now)
                .render());
        note(leaderLine(list, now));
        return 0;
    }

    /** Package-private for the formatting tests. */
    static Table table(List<CoordinatorView> coordinators, Instant now) {
        Table t = new Table("ID", "URL", "LAST SEEN", "ROLE");
        for (CoordinatorView c : coordinators)
            t.row(c.id(), c.url(), Display.ago(c.lastSeen(), now), c.leader() ? "leader" : "follower");
        return t;
    }

    static String leaderLine(CoordinatorList list, Instant now) {
        if (list.leader() == null)
            return "no leader now (epoch " + list.epoch() + "): a coordinator takes over within one lease";
        return "leader " + list.leader() + " since " + Display.time(list.leaderSince()) + " ("
                + Display.ago(list.leaderSince(), now) + "), epoch " + list.epoch() + "; answered by "
                + list.answeredBy();
    }
}
