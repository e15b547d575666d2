package org.cyphon.agent;

import java.time.Instant;
import org.cyphon.core.desk.OwnerOutlook;

/**
 * What the coordinator's last heartbeat reply said about the pool and this desk's owner: when the
 * pool's overload mode ends, and what the desk's track record expects of its owner. Written by the
 * heartbeat, read by the desk VM's keeper and the desk's status.
 */
final class PoolNews {
    private volatile Instant overloadUntil;
    private volatile OwnerOutlook outlook = OwnerOutlook.UNKNOWN;

    /** When the pool's overload mode ends; null: off. */
    Instant overloadUntil() {
        return overloadUntil;
    }

    OwnerOutlook outlook() {
        return outlook;
    }

    /** @return whether it changed */
    boolean overloadUntil(Instant until) {
        if (java.util.Objects.equals(until, overloadUntil)) return false;
        overloadUntil = until;
        return true;
    }

    /** @return whether it changed */
    boolean outlook(OwnerOutlook o) {
        if (o.equals(outlook)) return false;
        outlook = o;
        return true;
    }
}
