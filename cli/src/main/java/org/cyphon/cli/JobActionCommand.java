package org.cyphon.cli;

import java.util.List;
import org.cyphon.cli.client.ApiRefusal;
import org.cyphon.cli.client.CyphonClient;
import org.cyphon.core.protocol.JobView;
import picocli.CommandLine.Parameters;

/**
 * cancel / hold / release: the same action on each id in turn. A refusal for one id is reported
 * and the rest are still tried (exit 1 at the end, 2 if the coordinator failed internally); losing the coordinator stops at once (exit 2),
 * since every further try would fail the same way.
 */
abstract class JobActionCommand extends ApiCommand {
    @Parameters(paramLabel = "ID", arity = "1..*", description = "The job ids.")
    List<Long> ids;

    /** Applies the action to one job. */
    abstract JobView apply(CyphonClient client, long id);

    /** What the action did, for the "ID cancelled" line. */
    abstract String done();

    @Override
    protected int run(CyphonClient client) {
        int worst = 0;
        for (long id : ids) {
            try {
                apply(client, id);
                print(id + " " + done() + "\n");
            } catch (ApiRefusal e) {
                worst = Math.max(worst, fail("job " + id + ": " + e.getMessage(), e.exitCode(), e));
            }
        }
        return worst;
    }
}
