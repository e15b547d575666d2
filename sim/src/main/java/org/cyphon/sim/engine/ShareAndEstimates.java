package org.cyphon.sim.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.core.schedule.FairShare;
import org.cyphon.core.schedule.RuntimeEstimates;

/**
 * What placement knows of the past: the submitters' fair share and the runtimes learned from
 * completed jobs. What happens between two placement passes is collected and taken in by the next
 * pass in one batch ({@link #catchUp}), as the coordinator's scheduling loop does.
 */
final class ShareAndEstimates {
    private FairShare shares = FairShare.none();
    private RuntimeEstimates estimates = RuntimeEstimates.empty();
    /** Use to charge to fair share since the last placement pass, charged in one batch by the next. */
    private final List<FairShare.Charge> chargesSincePass = new ArrayList<>();
    /** Runtimes of jobs completed since the last placement pass, learned in one batch by the next. */
    private final List<RuntimeEstimates.Completion> completedSincePass = new ArrayList<>();

    FairShare shares() {
        return shares;
    }

    /** The estimates of the last pass: between passes, attempts see these, as in the coordinator. */
    RuntimeEstimates estimates() {
        return estimates;
    }

    /**
     * Fair share is read only by placement passes, so what attempts used since the last pass is
     * charged in one batch ({@link FairShare#chargeAll}, in order: the same shares as charging each
     * at once, without a copy of every submitter's usage per ended attempt).
     */
    void charge(String user, double cpuSeconds, Instant at) {
        chargesSincePass.add(new FairShare.Charge(user, cpuSeconds, at));
    }

    void completed(RuntimeEstimates.Completion c) {
        completedSincePass.add(c);
    }

    /** A placement pass takes in what happened since the last one. */
    void catchUp() {
        learnCompletedRuntimes();
        chargeUse();
    }

    /**
     * The runtimes completed since the last pass, learned in one batch: {@link RuntimeEstimates} is
     * immutable, and learning each completion on its own copied every estimate per completed job
     * (quadratic in traces with program ids).
     */
    private void learnCompletedRuntimes() {
        if (completedSincePass.isEmpty()) return;
        estimates = estimates.learnAll(completedSincePass);
        completedSincePass.clear();
    }

    private void chargeUse() {
        if (chargesSincePass.isEmpty()) return;
        shares = shares.chargeAll(chargesSincePass);
        chargesSincePass.clear();
    }
}
