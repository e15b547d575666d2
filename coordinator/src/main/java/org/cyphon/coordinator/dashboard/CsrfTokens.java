package org.cyphon.coordinator.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The dashboard's anti-CSRF tokens: a keyed hash of the session's own token, so the server keeps no
 * session state and a token is good for one session only. The key is made at each start; a page
 * open across a coordinator restart fetches a fresh one ({@code GET /dashboard/session}).
 */
public final class CsrfTokens {
    private final byte[] key;

    public CsrfTokens() {
        key = new byte[32];
        new SecureRandom().nextBytes(key);
    }

    /** The CSRF token of the session whose bearer token is {@code sessionToken}. */
    public String of(String sessionToken) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] h = mac.doFinal(("cyphon-dashboard-csrf:" + sessionToken).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Whether {@code presented} is the CSRF token of that session (compared in constant time). */
    public boolean matches(String sessionToken, String presented) {
        if (presented == null || presented.isEmpty()) return false;
        return MessageDigest.isEqual(
                of(sessionToken).getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
}
