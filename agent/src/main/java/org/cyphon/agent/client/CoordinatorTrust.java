package org.cyphon.agent.client;

import org.cyphon.core.protocol.CaFingerprint;

/**
 * How far a client trusts the coordinator's transport: the CA it pinned, and whether it may talk
 * plain HTTP to a machine other than this one.
 *
 * @param pin          {@code ca_fingerprint}: the coordinator's chain must lead to this CA; null:
 *                     the system's trusted CAs (a coordinator with a public certificate)
 * @param insecureHttp {@code insecure_http}: plain HTTP to a non-loopback address is allowed,
 *                     tokens and all in clear; false refuses it
 */
public record CoordinatorTrust(CaFingerprint pin, boolean insecureHttp) {
    /** No pin, no plain HTTP off this machine. */
    public static final CoordinatorTrust DEFAULT = new CoordinatorTrust(null, false);

    public CoordinatorTrust withPin(CaFingerprint p) {
        return new CoordinatorTrust(p, insecureHttp);
    }
}
