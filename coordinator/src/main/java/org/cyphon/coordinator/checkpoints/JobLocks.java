package org.cyphon.coordinator.checkpoints;

/**
 * One lock per job (striped: a fixed array, so memory does not grow with jobs) around the short
 * steps that touch a job's checkpoint files together with its table row: name an upload, commit it,
 * delete the archive it replaced; or read the row and open its file; or delete a finished job's
 * files. Without it a clean-up could delete an archive that a concurrent upload has just named but
 * not yet committed.
 */
public final class JobLocks {
    private final Object[] stripes = new Object[64];

    public JobLocks() {
        for (int i = 0; i < stripes.length; i++) stripes[i] = new Object();
    }

    Object of(long jobId) {
        return stripes[(int) Math.floorMod(jobId, (long) stripes.length)];
    }
}
