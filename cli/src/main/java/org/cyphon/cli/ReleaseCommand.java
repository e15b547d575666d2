package org.cyphon.cli;

import org.cyphon.cli.client.CyphonClient;
import org.cyphon.core.protocol.JobView;
import picocli.CommandLine.Command;

/** {@code cyphon release ID...}: prints "ID released" on stdout for each job done. */
@Command(name = "release", mixinStandardHelpOptions = true, description = "Release held jobs back into the queue.")
public final class ReleaseCommand extends JobActionCommand {
    @Override
    JobView apply(CyphonClient client, long id) {
        return client.release(id);
    }

    @Override
    String verb() {
        return "release";
    }

    @Override
    String done() {
        return "released";
    }
}
