package org.cyphon.cli;

import org.cyphon.cli.client.CyphonClient;
import org.cyphon.core.protocol.JobView;
import picocli.CommandLine.Command;

/** {@code cyphon hold ID...}: prints "ID held" on stdout for each job done. */
@Command(
        name = "hold",
        mixinStandardHelpOptions = true,
        description = "Hold jobs: they stay in the queue but are not scheduled; a running attempt is stopped.")
public final class HoldCommand extends JobActionCommand {
    @Override
    JobView apply(CyphonClient client, long id) {
        return client.hold(id);
    }

    @Override
    String verb() {
        return "hold";
    }

    @Override
    String done() {
        return "held";
    }
}
