package org.cyphon.coordinator.lifecycle;

/**
 * Whether a machine counts as online: its agent spoke to us (enrolled or beat) within the lease.
 * The same rule the lease keeper applies to attempts, so a machine whose attempts are being lost
 * is never offered new work.
 */
public final class MachinePresence {
    private MachinePresence() {}

    public static boolean online(long lastContactMillis, long nowMillis, long leaseMillis) {
        return nowMillis < lastContactMillis + leaseMillis;
    }
}
