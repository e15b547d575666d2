package org.cyphon.coordinator.checkpoints;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.store.AttemptRow;
import org.cyphon.coordinator.store.AttemptTable;
import org.cyphon.coordinator.store.JobStatus;
import org.cyphon.coordinator.store.JobTable;

/**
 * The fencing rule for checkpoints and files: only the job's current attempt, live, on the machine
 * asking, while the job is running or suspended, may store or fetch its checkpoint, fetch its inputs
 * or store its outputs. Anything else is 409,
 * so an attempt the coordinator has given up on can never overwrite the checkpoint its successor
 * starts from.
 */
public final class CurrentAttempt {
    private CurrentAttempt() {}

    public record Found(AttemptRow attempt, JobStatus job) {}

    /** @throws ApiError 409 naming the fencing token when it is not the job's current live attempt on {@code machine} */
    public static Found require(Connection c, String machine, long token) throws SQLException {
        AttemptRow a = AttemptTable.byToken(c, token);
        if (a == null || !a.machine().equals(machine) || !a.live()) throw stale(token, machine);
        JobStatus j = JobTable.status(c, a.jobId());
        if (j == null || !Objects.equals(j.currentToken(), token) || !j.state().hasLiveAttempt())
            throw stale(token, machine);
        return new Found(a, j);
    }

    private static ApiError stale(long token, String machine) {
        return new ApiError(
                409,
                "stale attempt: fencing token " + token + " is not the current live attempt of its job on " + machine,
                "fencingToken");
    }
}
