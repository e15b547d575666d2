package org.cyphon.cli;

import java.util.ArrayList;
import java.util.List;
import org.cyphon.cli.client.ApiRefusal;
import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.InvalidInput;
import org.cyphon.cli.client.JobQuery;
import org.cyphon.core.job.JobState;
import org.cyphon.core.protocol.JobView;
import org.cyphon.core.protocol.JobsChanged;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * cancel / hold / release: by ids, the same action on each id in turn (a refusal for one id is
 * reported and the rest are still tried: exit 1 at the end, 2 if the coordinator failed
 * internally; losing the coordinator stops at once, exit 2). By filter ({@code --all-mine},
 * {@code --state}, {@code --name}), one request that changes every matching job of yours.
 */
abstract class JobActionCommand extends ApiCommand {
    @Parameters(paramLabel = "ID", arity = "0..*", description = "The job ids.")
    List<Long> ids;

    @Option(
            names = "--all-mine",
            description = "Every one of your jobs where the action applies (with --state/--name: narrowed by them).")
    boolean allMine;

    @Option(
            names = "--state",
            paramLabel = "STATE",
            split = ",",
            description = "Only your jobs in these states (comma-separated), in one request.")
    List<String> states;

    @Option(names = "--name", paramLabel = "NAME", description = "Only your jobs with this name, in one request.")
    String name;

    @Option(
            names = {"-u", "--owner"},
            paramLabel = "USER",
            description = "With a filter: this user's jobs instead of yours (admins only).")
    String owner;

    /** Applies the action to one job. */
    abstract JobView apply(CyphonClient client, long id);

    /** The action, as the API's path names it: cancel, hold or release. */
    abstract String verb();

    /** What the action did, for the "ID cancelled" line. */
    abstract String done();

    private boolean byFilter() {
        return allMine || (states != null && !states.isEmpty()) || name != null;
    }

    @Override
    protected void checkInput() {
        boolean haveIds = ids != null && !ids.isEmpty();
        if (haveIds && (byFilter() || owner != null))
            throw new InvalidInput("give job ids or a filter (--all-mine, --state, --name), not both");
        if (!haveIds && !byFilter())
            throw new InvalidInput("give job ids, or a filter: --all-mine, --state STATE, --name NAME");
        if (!haveIds) stateFilter();
    }

    private List<JobState> stateFilter() {
        List<JobState> out = new ArrayList<>();
        if (states == null) return out;
        for (String s : states) {
            try {
                out.add(JobState.fromWire(s));
            } catch (IllegalArgumentException e) {
                throw new InvalidInput("--state: " + e.getMessage());
            }
        }
        return out;
    }

    @Override
    protected int run(CyphonClient client) {
        if (ids == null || ids.isEmpty()) {
            JobsChanged r = client.changeAll(verb(), new JobQuery(stateFilter(), owner, name, null, null), allMine);
            print(r.changed() + " " + done() + "\n");
            if (r.unchanged() > 0)
                note(r.unchanged() + (r.unchanged() == 1 ? " job" : " jobs") + " matched but could not be " + done()
                        + " in its state");
            return 0;
        }
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
