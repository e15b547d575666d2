package org.cyphon.cli;

import java.util.Map;
import org.cyphon.cli.client.Endpoint;
import picocli.CommandLine.Option;

/**
 * {@code --url} and {@code --token}, shared by every command that talks to the coordinator.
 * Unset options fall back to {@code CYPHON_URL} / {@code CYPHON_TOKEN}, then to the client config
 * file (see {@link Endpoint#resolve}).
 */
public final class ConnectionOptions {
    @Option(
            names = "--url",
            paramLabel = "URL",
            description = "Coordinator URL, e.g. http://coord:8080 (default: $CYPHON_URL, then the client config).")
    String url;

    // A token on the command line is visible to other users in ps; the env var or file is safer.
    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description =
                    "Bearer token (default: $CYPHON_TOKEN, then the client config). Prefer the variable: flags show in ps.")
    String token;

    /** Resolves against the given environment (the process's, except in tests). */
    Endpoint endpoint(Map<String, String> env) {
        return Endpoint.resolve(url, token, env);
    }
}
