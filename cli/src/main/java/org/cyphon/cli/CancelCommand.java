package org.cyphon.cli;

import org.cyphon.cli.client.CyphonClient;
import org.cyphon.core.protocol.JobView;
import picocli.CommandLine.Command;

/** {@code cyphon cancel ID...}: prints "ID cancelled" on stdout for each job done. */
@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        description = "Cancel jobs: they never run again; a running attempt is killed.")
public final class CancelCommand extends JobActionCommand {
    @Override
    JobView apply(CyphonClient client, long id) {
        return client.cancel(id);
    }

    @Override
    String verb() {
        return "cancel";
    }

    @Override
    String done() {
        return "cancelled";
    }
}
