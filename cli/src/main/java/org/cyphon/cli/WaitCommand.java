package org.cyphon.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.cyphon.cli.client.Caller;
import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.InvalidInput;
import org.cyphon.cli.client.JobQuery;
import org.cyphon.cli.client.Quantities;
import org.cyphon.core.job.JobState;
import org.cyphon.core.protocol.JobView;
import org.cyphon.core.text.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cyphon wait ID...} / {@code cyphon wait --all}: blocks until the jobs are terminal.
 * Exit 0 only if every one completed with exit code 0; otherwise 1, naming the ones that did not.
 * As each job ends, one line "ID STATE [exit N]" goes to stdout.
 */
@Command(
        name = "wait",
        mixinStandardHelpOptions = true,
        description = {
            "Wait until jobs finish. Exit 0 only if all completed with exit code 0, else 1.",
            "Prints \"ID state [exit N]\" as each job ends."
        })
public final class WaitCommand extends ApiCommand {
    private static final List<JobState> UNFINISHED =
            Arrays.stream(JobState.values()).filter(s -> !s.isTerminal()).toList();
    // Above this many jobs, one listing per poll is cheaper than one request per job.
    private static final int LIST_INSTEAD_OF_GET = 32;

    @Parameters(paramLabel = "ID", arity = "0..*", description = "The job ids.")
    List<Long> ids;

    @Option(names = "--all", description = "Every unfinished job of yours (or of --owner) at the moment of the call.")
    boolean all;

    @Option(
            names = {"-u", "--owner"},
            paramLabel = "USER",
            description = "With --all: that user's jobs instead of yours.")
    String owner;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            description = "Give up after this long (e.g. 30m, 1h); exit 1.")
    String timeout;

    private Duration limit;

    @Override
    protected void checkInput() {
        boolean haveIds = ids != null && !ids.isEmpty();
        if (haveIds == all) throw new InvalidInput("give job IDs or --all (not both)");
        if (owner != null && !all) throw new InvalidInput("--owner: only with --all");
        limit = timeout == null ? null : Durations.parse(Quantities.checkDuration("--timeout", timeout));
    }

    @Override
    protected int run(CyphonClient client) throws InterruptedException {
        Set<Long> pending = new LinkedHashSet<>(targets(client));
        if (pending.isEmpty()) {
            note("cyphon: no unfinished jobs to wait for");
            return 0;
        }
        int total = pending.size();
        long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
        List<JobView> notOk = new ArrayList<>();
        Backoff backoff = new Backoff();
        while (true) {
            List<JobView> ended = ended(client, pending);
            for (JobView j : ended) {
                pending.remove(j.id());
                print(j.id() + " " + j.state()
                        + (j.result().exitCode() != null ? " exit " + j.result().exitCode() : "") + "\n");
                if (!completedWithZero(j)) notOk.add(j);
            }
            if (pending.isEmpty()) break;
            if (System.nanoTime() >= deadline) {
                return fail("timed out after " + timeout + "; still waiting for " + joinIds(pending), 1, null);
            }
            if (!ended.isEmpty()) backoff.reset();
            backoff.sleep();
        }
        if (notOk.isEmpty()) return 0;
        List<String> why = notOk.stream()
                .map(j -> j.id() + " (" + j.state()
                        + (j.result().exitCode() != null
                                ? ", exit " + j.result().exitCode()
                                : "")
                        + (j.progress().reason() != null ? ": " + j.progress().reason() : "") + ")")
                .toList();
        return fail(
                notOk.size() + " of " + total + " jobs did not complete with exit code 0: " + String.join(", ", why),
                1,
                null);
    }

    private List<Long> targets(CyphonClient client) {
        if (!all) return ids;
        String who = owner;
        if (who == null) {
            Caller caller = client.whoami();
            if (caller != null) {
                who = caller.name();
            } else {
                // Until the coordinator offers /whoami, "yours" cannot be told apart: wait for all, and say so.
                note("cyphon: the coordinator cannot say who you are (no /whoami): waiting for every unfinished job; "
                        + "use --owner USER for one user's");
            }
        }
        return client.jobs(new JobQuery(UNFINISHED, who, null, null, 100_000)).jobs().stream()
                .map(JobView::id)
                .toList();
    }

    /** The pending jobs that are now terminal, as the coordinator sees them. */
    private static List<JobView> ended(CyphonClient client, Set<Long> pending) {
        Set<Long> candidates = new LinkedHashSet<>(pending);
        if (pending.size() > LIST_INSTEAD_OF_GET) {
            // Anything missing from the unfinished list has probably ended; confirm each below.
            Set<Long> unfinished = new HashSet<>();
            for (JobView j : client.jobs(new JobQuery(UNFINISHED, null, null, null, 100_000))
                    .jobs()) unfinished.add(j.id());
            candidates.removeAll(unfinished);
        }
        List<JobView> ended = new ArrayList<>();
        for (long id : candidates) {
            JobView j = client.job(id);
            if (isTerminal(j.state())) ended.add(j);
        }
        return ended;
    }

    private static boolean completedWithZero(JobView j) {
        return JobState.COMPLETED.wireName().equals(j.state())
                && Integer.valueOf(0).equals(j.result().exitCode());
    }

    private static boolean isTerminal(String state) {
        try {
            return JobState.fromWire(state).isTerminal();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String joinIds(Set<Long> ids) {
        return String.join(", ", ids.stream().map(String::valueOf).toList());
    }
}
