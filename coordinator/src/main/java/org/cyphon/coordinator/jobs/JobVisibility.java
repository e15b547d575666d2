package org.cyphon.coordinator.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cyphon.coordinator.JobPrivacy;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.auth.Principal;
import org.cyphon.coordinator.auth.Role;
import org.cyphon.coordinator.secrets.SecretsKey;
import org.cyphon.coordinator.store.JobRow;
import org.cyphon.core.protocol.JobView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a caller may see of a job. Its owner and admins see everything, secret values included
 * (opened only for the one-job view). Anyone else sees every job in listings, but under
 * {@code privacy = "own"} none of its environment's values nor its output, and never a secret
 * value, whatever the privacy setting.
 */
public final class JobVisibility {
    private static final Logger log = LoggerFactory.getLogger(JobVisibility.class);

    private final JobPrivacy privacy;
    private final SecretsKey secrets;

    /** @param secrets opens secret values for their owner's view; null: they are always hidden */
    public JobVisibility(JobPrivacy privacy, SecretsKey secrets) {
        this.privacy = privacy;
        this.secrets = secrets;
    }

    /** Everything as it was before privacy existed, for tests and tools that show a job to its owner. */
    public static JobVisibility open() {
        return new JobVisibility(JobPrivacy.OPEN, null);
    }

    /** The job's owner or an admin. */
    static boolean ownsOrAdmin(Principal viewer, String owner) {
        return viewer == null
                || viewer.admin()
                || (viewer.role() == Role.USER && viewer.name().equals(owner));
    }

    /** May {@code viewer} read the plain environment and the output of a job of {@code owner}? */
    public boolean mayReadContents(Principal viewer, String owner) {
        return privacy == JobPrivacy.OPEN || ownsOrAdmin(viewer, owner);
    }

    /** @throws ApiError 403 naming the setting when {@code viewer} may not read the job's output */
    public void requireOutputReadable(Principal viewer, long jobId, String owner) {
        if (!mayReadContents(viewer, owner))
            throw new ApiError(
                    403,
                    "job " + jobId + " belongs to '" + owner
                            + "'; with privacy = \"own\" only its owner and admins may read its output",
                    null);
    }

    /** The environment as {@code viewer} may see it: every value {@link JobView#HIDDEN} if not theirs to read. */
    Map<String, String> env(Principal viewer, JobRow r) {
        if (mayReadContents(viewer, r.status().owner())) return r.env();
        return hidden(r.env());
    }

    /**
     * The secret variables as {@code viewer} may see them: the names always, the values opened for
     * the owner or an admin when {@code open}, else {@link JobView#HIDDEN}; null when there are none.
     */
    Map<String, String> secretEnv(Principal viewer, JobRow r, boolean open) {
        Map<String, String> sealed = r.sealedSecretEnv();
        if (sealed.isEmpty()) return null;
        if (open
                && secrets != null
                && viewer != null
                && ownsOrAdmin(viewer, r.status().owner())) {
            try {
                return secrets.openAll(r.status().id(), sealed);
            } catch (SecretsKey.Unreadable e) {
                log.warn("cannot show job {}'s secret variables: {}", r.status().id(), e.getMessage());
            }
        }
        return hidden(sealed);
    }

    private static Map<String, String> hidden(Map<String, String> m) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : m.keySet()) out.put(k, JobView.HIDDEN);
        return out;
    }
}
