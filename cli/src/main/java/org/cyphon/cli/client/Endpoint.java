package org.cyphon.cli.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Which coordinator to talk to and as whom. Each of the two is resolved on its own, first from the
 * flags, then from {@code CYPHON_URL} / {@code CYPHON_TOKEN}, then from the client config file, so
 * a user can keep the URL in the file and export a different token for one shell.
 *
 * @param url   the coordinator's base URL, e.g. {@code http://coord:8080}, without a trailing slash
 * @param token the bearer token
 */
public record Endpoint(URI url, String token) {

    /**
     * Resolves the endpoint.
     *
     * @param flagUrl   {@code --url}, or null
     * @param flagToken {@code --token}, or null
     * @param env       the environment variables (tests pass their own)
     * @throws InvalidInput when something is missing or malformed, saying how to configure it
     */
    public static Endpoint resolve(String flagUrl, String flagToken, Map<String, String> env) {
        String url = nonBlank(flagUrl);
        String urlFrom = "--url";
        if (url == null && nonBlank(env.get("CYPHON_URL")) != null) {
            url = env.get("CYPHON_URL").trim();
            urlFrom = "CYPHON_URL";
        }
        String token = nonBlank(flagToken);
        if (token == null) token = nonBlank(env.get("CYPHON_TOKEN"));

        Path file = ClientConfig.defaultPath(env);
        if (url == null || token == null) {
            ClientConfig config = ClientConfig.read(file);
            if (config == null
                    && env.get("CYPHON_CONFIG") != null
                    && !env.get("CYPHON_CONFIG").isBlank()) {
                throw new InvalidInput("CYPHON_CONFIG names " + file + ", which does not exist");
            }
            if (config != null) {
                if (url == null && config.url() != null) {
                    url = config.url().trim();
                    urlFrom = file.toString();
                }
                if (token == null) token = config.token();
            }
        }
        if (url == null || token == null) {
            String missing = url == null && token == null
                    ? "no coordinator configured"
                    : url == null ? "no coordinator URL configured" : "no token configured";
            throw new InvalidInput(missing + ": start one with 'cyphon up' (it writes " + file
                    + "), or set CYPHON_URL and CYPHON_TOKEN, or pass --url and --token");
        }
        return new Endpoint(parseUrl(url, urlFrom), token.trim());
    }

    /** Accepts {@code http(s)://host[:port][/prefix]}, with or without a trailing slash or {@code /api/v1}. */
    static URI parseUrl(String text, String from) {
        String s = text.strip();
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        if (s.endsWith("/api/v1")) s = s.substring(0, s.length() - "/api/v1".length());
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw new InvalidInput(from + ": '" + text + "' is not a URL: " + e.getReason());
        }
        if (uri.getScheme() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new InvalidInput(from + ": '" + text + "' is not an http(s) URL (example: http://coordinator:8080)");
        }
        return uri;
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
