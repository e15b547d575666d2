package org.cyphon.core.protocol;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What {@code cyphon join-token} prints and {@code cyphon agent join} reads: one shell word,
 * {@code cyphon-join:<coordinator URL>,<ca>,<secret>}. {@code ca} is {@code sha256:<64 lowercase
 * hex>} (the SHA-256 of the DER encoding of the coordinator's CA certificate), or {@code -} when the
 * coordinator speaks plain HTTP (loopback): {@link #caFingerprint()} is then null. {@code secret}
 * is the one-time enrollment secret, base64url without padding.
 *
 * <p>The URL is everything before the last two commas, so a URL holding a comma still reads back.
 */
public record JoinLine(URI coordinator, String caFingerprint, String secret) {
    public static final String PREFIX = "cyphon-join:";
    private static final Pattern CA = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{16,512}");

    /** @throws IllegalArgumentException naming what is wrong */
    public JoinLine {
        if (coordinator == null) throw new IllegalArgumentException("the join line has no coordinator URL");
        String scheme =
                coordinator.getScheme() == null ? "" : coordinator.getScheme().toLowerCase(Locale.ROOT);
        if ((!scheme.equals("http") && !scheme.equals("https")) || coordinator.getHost() == null) {
            throw new IllegalArgumentException(
                    "the join line's coordinator URL must be http://HOST:PORT or https://HOST:PORT, got '" + coordinator
                            + "'");
        }
        if (caFingerprint != null && !CA.matcher(caFingerprint).matches()) {
            throw new IllegalArgumentException("the join line's CA fingerprint must be sha256: and 64 lowercase hex"
                    + " digits, or - for plain HTTP; got '" + cut(caFingerprint) + "'");
        }
        if (secret == null || !SECRET.matcher(secret).matches()) {
            throw new IllegalArgumentException(
                    "the join line's secret must be base64url (letters, digits, - and _), at least 16 characters");
        }
    }

    /**
     * Reads a line as printed by {@link #format()} (surrounding white space ignored).
     *
     * @throws IllegalArgumentException naming what is wrong (never echoing the secret)
     */
    public static JoinLine parse(String line) {
        if (line == null || line.isBlank()) throw new IllegalArgumentException("the join line is empty");
        String s = line.strip();
        if (!s.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a join line starts with '" + PREFIX
                    + "' (copy the whole line cyphon join-token printed), got '" + cut(s) + "'");
        }
        String rest = s.substring(PREFIX.length());
        int last = rest.lastIndexOf(',');
        int middle = last < 0 ? -1 : rest.lastIndexOf(',', last - 1);
        if (middle < 0) {
            throw new IllegalArgumentException(
                    "a join line is " + PREFIX + "URL,CA,SECRET: it has fewer than three comma-separated parts");
        }
        String url = rest.substring(0, middle);
        String ca = rest.substring(middle + 1, last);
        String secret = rest.substring(last + 1);
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the join line's coordinator URL is not a URL: '" + cut(url) + "'");
        }
        return new JoinLine(uri, ca.equals("-") ? null : ca, secret);
    }

    /** The one-word form, {@code cyphon-join:URL,CA,SECRET}. */
    public String format() {
        return PREFIX + coordinator + "," + (caFingerprint == null ? "-" : caFingerprint) + "," + secret;
    }

    /** Without the secret: a line is a credential, so its record form must never print it (logs, errors). */
    @Override
    public String toString() {
        return "JoinLine[" + coordinator + "," + (caFingerprint == null ? "-" : caFingerprint) + ",<secret>]";
    }

    private static String cut(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
