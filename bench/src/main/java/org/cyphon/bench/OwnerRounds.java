package org.cyphon.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs one case's owner workload for one round, again if other people's processes used more than
 * {@code --max-others} cores meanwhile (up to {@code --retries} extra runs): this 2-core machine is
 * shared, and a run beside someone's build measures the build. If every try was disturbed, the
 * least disturbed is kept, and the tables say so.
 */
final class OwnerRounds {
    /** One run of the owner's workload, named {@code label}; null: no further run is possible now. */
    interface Round {
        OwnerWorkload.Result run(String label, int attempt) throws Exception;
    }

    /** The run the round's figures come from (none if it could not run), and the disturbed ones thrown away. */
    record Outcome(List<OwnerWorkload.Result> kept, List<OwnerWorkload.Result> discarded) {}

    private OwnerRounds() {}

    static Outcome run(OwnerSettings s, String key, int round, Round run) throws Exception {
        List<OwnerWorkload.Result> disturbed = new ArrayList<>();
        for (int attempt = 1; attempt <= 1 + s.retries(); attempt++) {
            OwnerWorkload.Result r = run.run(key + "-" + round + (attempt > 1 ? "." + attempt : ""), attempt);
            if (r == null) break;
            if (r.cpu().others() <= s.maxOthers()) return new Outcome(List.of(r), disturbed);
            disturbed.add(r);
            System.err.println("bench/run owner: (" + key + ") other processes used "
                    + Figures.decimal(r.cpu().others(), 2) + " cores during run " + r.label() + " (over --max-others "
                    + s.maxOthers() + ")" + (attempt <= s.retries() ? ": running it again" : ""));
        }
        disturbed.sort(Comparator.comparingDouble(r -> r.cpu().others()));
        return disturbed.isEmpty()
                ? new Outcome(List.of(), List.of())
                : new Outcome(List.of(disturbed.get(0)), disturbed.subList(1, disturbed.size()));
    }
}
