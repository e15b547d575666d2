package org.cyphon.core.protocol;

import java.time.Instant;

/**
 * A new join secret, shown once: the coordinator keeps only its hash.
 *
 * @param name          how to list and revoke it (not secret)
 * @param caFingerprint {@code sha256:HEX} of the coordinator's CA; null when it speaks plain HTTP
 */
public record JoinSecretReply(String name, String secret, Instant expiresAt, int usesLeft, String caFingerprint) {
    @Override
    public String toString() {
        return "JoinSecretReply[name=" + name + ", secret=<hidden>, expiresAt=" + expiresAt + ", usesLeft=" + usesLeft
                + ", caFingerprint=" + caFingerprint + "]";
    }
}
