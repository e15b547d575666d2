package org.cyphon.core.job;

/**
 * The job state machine: the one place that says which event is legal in which state.
 *
 * <p>Pure and total: {@link #next} either returns the new state or throws
 * {@link IllegalTransitionException}. Attempt accounting (a lost attempt goes back to the queue
 * only while attempts remain) is decided here too, so the coordinator and the simulator agree.
 */
public final class JobTransitions {
    private JobTransitions() {}

    /**
     * @param attemptsUsed attempts that count against the job, including the one this event is
     *                     about: lost ones (crash, lease expiry, failure to start). Vacates are
     *                     Cyphon's own doing and never count.
     * @param maxAttempts  counted attempts allowed before a lost attempt fails the job
     */
    public static JobState next(JobState from, JobEvent event, int attemptsUsed, int maxAttempts) {
        JobState to = switch (event) {
            case ASSIGN -> from == JobState.QUEUED ? JobState.RUNNING : null;
            case SUSPEND -> from == JobState.RUNNING ? JobState.SUSPENDED : null;
            case RESUME -> from == JobState.SUSPENDED ? JobState.RUNNING : null;
            case EXITED -> from.hasLiveAttempt() ? JobState.COMPLETED : null;
            case ATTEMPT_LOST ->
                from.hasLiveAttempt() ? (attemptsUsed >= maxAttempts ? JobState.FAILED : JobState.QUEUED) : null;
            // A vacate is Cyphon's own choice, not the job's fault: it never uses up the job's attempts.
            case VACATED -> from.hasLiveAttempt() ? JobState.QUEUED : null;
            case CANCEL -> from.isTerminal() ? null : JobState.CANCELLED;
            case HOLD ->
                (from == JobState.QUEUED || from == JobState.WAITING || from.hasLiveAttempt()) ? JobState.HELD : null;
            case RELEASE -> from == JobState.HELD ? JobState.QUEUED : null;
            case RELEASE_TO_WAIT -> from == JobState.HELD ? JobState.WAITING : null;
            case DEPENDENCIES_MET -> from == JobState.WAITING ? JobState.QUEUED : null;
            case DEPENDENCY_FAILED -> from == JobState.WAITING ? JobState.HELD : null;
        };
        if (to == null) throw new IllegalTransitionException(from, event);
        return to;
    }

    public static boolean isLegal(JobState from, JobEvent event) {
        try {
            next(from, event, 0, Integer.MAX_VALUE);
            return true;
        } catch (IllegalTransitionException e) {
            return false;
        }
    }
}
