package org.cyphon.core.job;

/** An event that is not legal in the job's current state, e.g. releasing a job that is not held. */
public final class IllegalTransitionException extends RuntimeException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    private final JobState from;
    private final JobEvent event;

    public IllegalTransitionException(JobState from, JobEvent event) {
        super("a " + from.wireName() + " job cannot be " + describe(event));
        this.from = from;
        this.event = event;
    }

    public JobState from() {
        return from;
    }

    public JobEvent event() {
        return event;
    }

    private static String describe(JobEvent e) {
        return switch (e) {
            case ASSIGN -> "assigned";
            case SUSPEND -> "suspended";
            case RESUME -> "resumed";
            case EXITED -> "reported as exited";
            case ATTEMPT_LOST -> "reported as lost";
            case VACATED -> "vacated";
            case CANCEL -> "cancelled";
            case HOLD -> "held";
            case RELEASE, RELEASE_TO_WAIT -> "released";
            case DEPENDENCIES_MET -> "queued after its dependencies";
            case DEPENDENCY_FAILED -> "held for a failed dependency";
        };
    }
}
