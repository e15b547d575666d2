package org.cyphon.cli.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.cyphon.agent.client.CoordinatorTransport;
import org.cyphon.agent.client.CoordinatorTrust;
import org.cyphon.core.protocol.CaFingerprint;

/**
 * Which coordinator to talk to and as whom. Each of the two is resolved on its own, first from the
 * flags, then from {@code CYPHON_URL} / {@code CYPHON_TOKEN}, then from the client config file, so
 * a user can keep the URL in the file and export a different token for one shell.
 *
 * <p>The CA pin comes from {@code CYPHON_CA_FINGERPRINT}, else from the client config's
 * {@code ca_fingerprint} when the URL in force is the file's (a pin belongs to one coordinator).
 * {@code insecure_http} (or {@code CYPHON_INSECURE_HTTP=1}) allows plain HTTP to another machine.
 *
 * @param url   the coordinator's base URL, e.g. {@code https://coord:7070}, without a trailing slash
 * @param token the bearer token
 * @param trust the pinned CA and whether plain HTTP off this machine is allowed
 * @param others the pool's other coordinators when the URL lists several ({@code https://a,https://b}):
 *              the client moves to the next when one is unreachable
 */
public record Endpoint(URI url, String token, CoordinatorTrust trust, java.util.List<URI> others) {
    /** How a CLI user allows plain HTTP to another machine, for the refusal's message. */
    static final String ALLOW_PLAIN = "insecure_http = true in the client config (or set CYPHON_INSECURE_HTTP=1)";

    public Endpoint {
        if (trust == null) trust = CoordinatorTrust.DEFAULT;
        others = others == null ? java.util.List.of() : java.util.List.copyOf(others);
    }

    public Endpoint(URI url, String token, CoordinatorTrust trust) {
        this(url, token, trust, java.util.List.of());
    }

    /** Every coordinator to try, in order: {@code url} first. */
    public java.util.List<URI> urls() {
        java.util.List<URI> all = new java.util.ArrayList<>();
        all.add(url);
        all.addAll(others);
        return all;
    }

    /** An endpoint with no pin (the system's CAs) and no plain HTTP off this machine. */
    public Endpoint(URI url, String token) {
        this(url, token, CoordinatorTrust.DEFAULT);
    }

    /**
     * An HTTP client for this coordinator: https checked against the pin, plain HTTP only to this
     * machine unless allowed.
     *
     * @throws InvalidInput for plain HTTP to another machine without {@code insecure_http}
     */
    public HttpClient httpClient(Duration connectTimeout) {
        CoordinatorTransport transport;
        try {
            transport = CoordinatorTransport.of(url, trust, ALLOW_PLAIN);
            // The others get the token too when the first is down: each is checked alike.
            for (URI other : others) CoordinatorTransport.of(other, trust, ALLOW_PLAIN);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput(e.getMessage());
        }
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(connectTimeout);
        if (transport.ssl() != null) b.sslContext(transport.ssl());
        return b.build();
    }

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
        ClientConfig config = null;
        if (url == null || token == null) {
            config = ClientConfig.read(file);
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
        String[] listed = url.split(",", -1);
        URI uri = parseUrl(listed[0], urlFrom);
        java.util.List<URI> others = new java.util.ArrayList<>();
        for (int i = 1; i < listed.length; i++) others.add(parseUrl(listed[i], urlFrom));
        // URL and token from flags or the environment: the file only adds insecure_http, and one this
        // user cannot read (HOME still another user's, e.g. under setpriv or sudo -u) is no file.
        return new Endpoint(
                uri,
                token.trim(),
                trust(
                        uri,
                        env,
                        config != null
                                ? config
                                : java.nio.file.Files.isReadable(file) ? ClientConfig.read(file) : null),
                others);
    }

    private static CoordinatorTrust trust(URI uri, Map<String, String> env, ClientConfig config) {
        boolean sameAsFile = config != null
                && config.url() != null
                && parseUrl(config.url().split(",", -1)[0], config.file().toString())
                        .equals(uri);
        CaFingerprint pin = null;
        String fromEnv = nonBlank(env.get("CYPHON_CA_FINGERPRINT"));
        try {
            if (fromEnv != null) pin = CaFingerprint.parse(fromEnv);
            else if (sameAsFile && config.caFingerprint() != null) pin = CaFingerprint.parse(config.caFingerprint());
        } catch (IllegalArgumentException e) {
            throw new InvalidInput((fromEnv != null ? "CYPHON_CA_FINGERPRINT" : config.file() + ": ca_fingerprint")
                    + ": " + e.getMessage());
        }
        boolean insecure = "1".equals(env.get("CYPHON_INSECURE_HTTP"))
                || "true".equalsIgnoreCase(env.get("CYPHON_INSECURE_HTTP"))
                || (sameAsFile && config.insecureHttp());
        return new CoordinatorTrust(pin, insecure);
    }

    /** Accepts {@code http(s)://host[:port][/prefix]}, with or without a trailing slash or {@code /api/v1}. */
    public static URI parseUrl(String text, String from) {
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
