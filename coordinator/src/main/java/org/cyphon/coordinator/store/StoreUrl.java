package org.cyphon.coordinator.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What an admin writes for the store, as the JDBC driver needs it. A JDBC URL ({@code jdbc:...}) is
 * taken as it is; a PostgreSQL connection URI as psql takes it ({@code postgresql://USER@HOST:PORT/DB?sslmode=require},
 * also {@code postgres://}) becomes {@code jdbc:postgresql://HOST:PORT/DB?sslmode=require} and its
 * user. A password inside the URI is refused: a URL given with {@code --store} is on the command line,
 * which every local user reads in {@code ps}; it belongs in a 0600 file or the environment.
 *
 * @param jdbcUrl the URL for the driver
 * @param user    the user the URI named, or null when it named none
 */
public record StoreUrl(String jdbcUrl, String user) {

    /**
     * @throws IllegalArgumentException naming what is wrong (never echoing a password)
     */
    public static StoreUrl parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("is empty");
        String t = text.strip();
        if (t.startsWith("jdbc:")) return new StoreUrl(t, null);
        String lower = t.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("postgresql://") && !lower.startsWith("postgres://")) {
            throw new IllegalArgumentException("must be a JDBC URL (jdbc:h2:..., jdbc:postgresql://...) or"
                    + " postgresql://USER@HOST[:PORT]/DATABASE, got '" + redact(t) + "'");
        }
        URI uri;
        try {
            uri = new URI(t);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid URI (" + e.getReason() + "): '" + redact(t) + "'");
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && userInfo.contains(":")) {
            throw new IllegalArgumentException("carries a password: command lines are visible to every local user"
                    + " (ps); give it in store.password_file (0600) or CYPHON_STORE_PASSWORD instead");
        }
        if (uri.getHost() == null || uri.getHost().isBlank())
            throw new IllegalArgumentException("names no host: postgresql://USER@HOST[:PORT]/DATABASE");
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.length() <= 1 || path.indexOf('/', 1) >= 0)
            throw new IllegalArgumentException("names no database: postgresql://USER@HOST[:PORT]/DATABASE");
        if (uri.getRawQuery() != null
                && uri.getRawQuery().toLowerCase(Locale.ROOT).matches("(^|.*&)password=.*"))
            throw new IllegalArgumentException("carries a password: command lines are visible to every local user"
                    + " (ps); give it in store.password_file (0600) or CYPHON_STORE_PASSWORD instead");
        // An IPv6 literal stays bracketed: the driver parses host:port the same way.
        String host = uri.getHost();
        String jdbc = "jdbc:postgresql://" + host + (uri.getPort() >= 0 ? ":" + uri.getPort() : "") + path
                + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        String user = userInfo == null ? null : URLDecoder.decode(userInfo, StandardCharsets.UTF_8);
        return new StoreUrl(jdbc, user);
    }

    /** The URL with any {@code password=} value hidden, for messages. */
    public static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***").replaceAll("(//[^/@:]*:)[^/@]*@", "$1***@");
    }
}
