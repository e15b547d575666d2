package org.cyphon.coordinator.store;

import java.util.List;
import java.util.Map;

/**
 * A whole job row: its {@link JobStatus} and the spec it was submitted with.
 *
 * @param checkpointEverySeconds how often its attempts are asked for a checkpoint (null: only before a vacate)
 * @param sealedSecretEnv        its secret variables, each value sealed (SecretsKey); empty: none
 * @param files                  its input files, output patterns and shared paths; {@code JobFiles.NONE}: none
 */
public record JobRow(
        JobStatus status,
        String name,
        List<String> command,
        Map<String, String> env,
        Long runtimeSeconds,
        int index,
        long submittedAt,
        Long checkpointEverySeconds,
        Map<String, String> sealedSecretEnv,
        org.cyphon.core.protocol.JobFiles files) {

    public JobRow {
        if (files == null) files = org.cyphon.core.protocol.JobFiles.NONE;
    }

    /** {@code "host"} or {@code "none"}. */
    public String network() {
        return status.network();
    }

    /** Its {@code --disk} in bytes; null when it asked none. */
    public Long diskBytes() {
        return status.diskBytes();
    }

    /** Never prints the sealed values, nor the plain environment: views and logs show what they choose. */
    @Override
    public String toString() {
        return "JobRow[" + status.id() + " " + name + "]";
    }
}
