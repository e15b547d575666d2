package org.cyphon.core.policy;

import java.time.Instant;
import java.time.ZoneId;

/**
 * Machine-level facts the policy needs besides presence.
 *
 * @param cores   logical CPUs of the desk
 * @param jobCpus CPUs held by Cyphon's attempts on it (running or frozen): what the owner's
 *                demand would contend with
 * @param zone    the desk's time zone, for windows and CEL's {@code hour} unless {@code time_zone} says otherwise
 * @param ownerClaimUntil the owner asked for their whole machine until then ({@code cyphon claim}):
 *                        every job freezes and none starts, whatever the policy; null: no claim
 */
public record MachineFacts(double cores, double jobCpus, ZoneId zone, Instant ownerClaimUntil) {
    public MachineFacts {
        if (cores <= 0) throw new IllegalArgumentException("cores must be positive");
        if (jobCpus < 0) throw new IllegalArgumentException("jobCpus must not be negative");
    }

    /** Facts with no claim of the owner's. */
    public MachineFacts(double cores, double jobCpus, ZoneId zone) {
        this(cores, jobCpus, zone, null);
    }

    /** The owner's claim is in force at {@code now}. */
    public boolean claimedAt(Instant now) {
        return ownerClaimUntil != null && now.isBefore(ownerClaimUntil);
    }
}
