package org.cyphon.coordinator.dashboard;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The dashboard's sign-in: the user's own API token in a cookie the page's scripts cannot read
 * ({@code HttpOnly}), that travels only over a secure context ({@code Secure}: HTTPS, or the
 * loopback address browsers count as secure) and never with a request another site starts
 * ({@code SameSite=Strict}). The token itself, not a session id: every request is authorized by
 * the API's own rules, a revoked token signs the browser out at its next request, and a
 * coordinator restart signs nobody out.
 */
public final class SessionCookie {
    public static final String NAME = "cyphon_session";
    private static final int MAX_LENGTH = 512;

    private SessionCookie() {}

    /** The token in the request's session cookie, or null. */
    public static String token(HttpServletRequest req) {
        Cookie[] cookies = req.getCookies();
        if (cookies == null) return null;
        for (Cookie c : cookies) {
            if (NAME.equals(c.getName())) {
                String v = c.getValue();
                return v == null || v.isEmpty() || v.length() > MAX_LENGTH ? null : v;
            }
        }
        return null;
    }

    /** The {@code Set-Cookie} value that signs the browser in with {@code token}. */
    public static String set(String token) {
        return NAME + "=" + token + "; Path=/; HttpOnly; Secure; SameSite=Strict";
    }

    /** The {@code Set-Cookie} value that signs it out. */
    public static String clear() {
        return NAME + "=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict";
    }
}
