package org.cyphon.core.policy;

import java.time.ZoneId;

/**
 * Machine-level facts the policy needs besides presence.
 *
 * @param cores   logical CPUs of the desk
 * @param jobCpus CPUs held by Cyphon's attempts on it (running or frozen): what the owner's
 *                demand would contend with
 * @param zone    the desk's time zone, for windows and CEL's {@code hour} unless {@code time_zone} says otherwise
 */
public record MachineFacts(double cores, double jobCpus, ZoneId zone) {
    public MachineFacts {
        if (cores <= 0) throw new IllegalArgumentException("cores must be positive");
        if (jobCpus < 0) throw new IllegalArgumentException("jobCpus must not be negative");
    }
}
