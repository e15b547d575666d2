package org.cyphon.core.protocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The identity of a coordinator's certificate authority as people copy it: {@code sha256:} and the
 * 64 lowercase hex digits of the SHA-256 of the CA certificate's DER encoding. An agent's
 * {@code ca_fingerprint}, a client's pin and the {@code <ca>} of a join line are all this text.
 *
 * @param text the canonical form, {@code sha256:<64 lowercase hex>}
 */
public record CaFingerprint(String text) {
    private static final String PREFIX = "sha256:";

    public CaFingerprint {
        if (text == null || !text.matches("sha256:[0-9a-f]{64}")) {
            throw new IllegalArgumentException(
                    "not a CA fingerprint: '" + text + "' (expected sha256:<64 hex digits>)");
        }
    }

    /**
     * Reads a fingerprint as a person may paste it: any case, with or without colons between the
     * hex pairs (as {@code openssl x509 -fingerprint -sha256} prints them).
     *
     * @throws IllegalArgumentException saying what the text should look like
     */
    public static CaFingerprint parse(String text) {
        if (text == null)
            throw new IllegalArgumentException("no CA fingerprint given (expected sha256:<64 hex digits>)");
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (!s.startsWith(PREFIX)) {
            throw new IllegalArgumentException(
                    "not a CA fingerprint: '" + text + "' (expected sha256:<64 hex digits>, e.g. from 'cyphon login')");
        }
        String hex = s.substring(PREFIX.length()).replace(":", "");
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a CA fingerprint: '" + text
                    + "' (expected sha256: and 64 hex digits, got " + hex.length() + " characters after it)");
        }
        return new CaFingerprint(PREFIX + hex);
    }

    /** The fingerprint of a certificate, given its DER encoding. */
    public static CaFingerprint ofDer(byte[] der) {
        try {
            return new CaFingerprint(PREFIX
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(der)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Whether the certificate with this DER encoding is the one this fingerprint names. */
    public boolean matches(byte[] der) {
        return ofDer(der).equals(this);
    }

    @Override
    public String toString() {
        return text;
    }
}
