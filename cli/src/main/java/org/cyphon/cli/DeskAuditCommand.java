package org.cyphon.cli;

import java.util.List;
import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.Display;
import org.cyphon.cli.client.Table;
import org.cyphon.cli.client.WireJson;
import org.cyphon.core.protocol.DeskAuditEntry;
import org.cyphon.core.protocol.DeskAuditList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cyphon desk MACHINE audit}: who did what to the desk VM, when, and what came of it. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description =
                "List the machine's desk audit log: every desk action asked for (refused ones too), oldest first.")
public final class DeskAuditCommand extends ApiCommand {
    @ParentCommand
    DeskCommand desk;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "100",
            description = "The newest N entries (default ${DEFAULT-VALUE}, at most 10000).")
    int limit;

    @Option(names = "--json", description = "Print the API's DeskAuditList JSON instead of the table.")
    boolean json;

    @Override
    protected int run(CyphonClient client) {
        DeskAuditList list = new DeskClient(client.endpoint()).audit(desk.machine(), limit);
        print(
                json
                        ? WireJson.pretty(list)
                        : table(list.entries() == null ? List.of() : list.entries())
                                .render());
        return 0;
    }

    /** ID, WHEN, WHO, ACTION, RESULT, WHY (package-private for the formatting test). */
    static Table table(List<DeskAuditEntry> entries) {
        Table t = new Table("ID", "WHEN", "WHO", "ACTION", "RESULT", "MESSAGE").alignRight(0);
        for (DeskAuditEntry e : entries) {
            String who = e.role().equals("admin") ? e.principal() : e.principal() + "(" + e.role() + ")";
            String action =
                    e.arguments() == null || e.arguments().isEmpty() ? e.action() : e.action() + " " + e.arguments();
            t.row(e.id(), Display.time(e.at()), who, action, e.result(), e.message());
        }
        return t;
    }
}
