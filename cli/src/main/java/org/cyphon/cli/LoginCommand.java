package org.cyphon.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cyphon.agent.client.CoordinatorTransport;
import org.cyphon.agent.client.CoordinatorTrust;
import org.cyphon.agent.client.PinnedCaTrustManager;
import org.cyphon.cli.client.Caller;
import org.cyphon.cli.client.CliFailure;
import org.cyphon.cli.client.ClientConfig;
import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.Endpoint;
import org.cyphon.cli.client.InvalidInput;
import org.cyphon.cli.client.ServerChain;
import org.cyphon.cli.client.TlsFailure;
import org.cyphon.core.protocol.CaFingerprint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cyphon login URL}: remembers a coordinator in the client config and pins its CA, so every
 * later command checks that it talks to that coordinator and not to whoever sits in between.
 *
 * <p>The chain is fetched by a bare TLS handshake (nothing, no token, is sent before the CA is
 * pinned), its CA's fingerprint shown, and pinned: with {@code --ca-fingerprint} only when it
 * matches (scripts and tests), else after the person at the terminal says yes; with stdin not a
 * terminal and no {@code --ca-fingerprint}, refused, since nobody checked the fingerprint.
 */
@Command(
        name = "login",
        mixinStandardHelpOptions = true,
        description = "Remember a coordinator in the client config and pin its CA certificate.")
public final class LoginCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "URL", description = "the coordinator, e.g. https://coordinator:7070")
    String url;

    @Option(
            names = "--ca-fingerprint",
            paramLabel = "sha256:HEX",
            description = "pin this CA without asking (it must be the one the coordinator presents); from the"
                    + " coordinator's log or its admin")
    String caFingerprint;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description = "token to keep with it (default: $CYPHON_TOKEN, else the one already in the client config"
                    + " for this URL). Prefer the variable: flags show in ps.")
    String token;

    @Override
    public Integer call() {
        try {
            return login(System.getenv());
        } catch (CliFailure f) {
            return ApiCommand.fail(f.getMessage(), f.exitCode(), f);
        }
    }

    private int login(Map<String, String> env) {
        URI uri = Endpoint.parseUrl(url, "URL");
        CaFingerprint given = null;
        if (caFingerprint != null) {
            try {
                given = CaFingerprint.parse(caFingerprint);
            } catch (IllegalArgumentException e) {
                throw new InvalidInput("--ca-fingerprint: " + e.getMessage());
            }
        }
        Path file = ClientConfig.defaultPath(env);
        ClientConfig old = ClientConfig.read(file);
        String keptToken = token != null ? token.strip() : env.get("CYPHON_TOKEN");
        if ((keptToken == null || keptToken.isBlank())
                && old != null
                && old.url() != null
                && Endpoint.parseUrl(old.url(), file.toString()).equals(uri)) {
            keptToken = old.token();
        }
        if (keptToken != null && keptToken.isBlank()) keptToken = null;

        CaFingerprint pin = null;
        if ("https".equalsIgnoreCase(uri.getScheme())) {
            pin = choosePin(uri, given);
        } else {
            if (given != null) throw new InvalidInput("--ca-fingerprint: " + uri + " is plain http; use https://");
            try {
                CoordinatorTransport.of(uri, CoordinatorTrust.DEFAULT, "insecure_http = true in " + file);
            } catch (IllegalArgumentException e) {
                throw new InvalidInput(e.getMessage());
            }
        }
        ClientConfig.write(file, uri.toString(), keptToken, pin == null ? null : pin.text());
        System.out.println((pin == null ? "Remembered " + uri : "Pinned " + pin + " for " + uri) + " in " + file);
        if (keptToken == null) {
            System.out.println("No token yet: set CYPHON_TOKEN, or run cyphon login " + uri + " --token ... again.");
            return 0;
        }
        Caller who = new CyphonClient(new Endpoint(uri, keptToken, new CoordinatorTrust(pin, false))).whoami();
        if (who != null) System.out.println("Logged in as " + who.name() + (who.admin() ? " (admin)" : ""));
        return 0;
    }

    private static CaFingerprint choosePin(URI uri, CaFingerprint given) {
        ServerChain chain;
        try {
            chain = ServerChain.fetch(uri);
        } catch (IOException e) {
            String tls = TlsFailure.explain(e);
            throw new org.cyphon.cli.client.CoordinatorUnreachable(
                    "cannot reach the coordinator at " + uri + ": " + (tls != null ? tls : e.getMessage()), e);
        }
        CaFingerprint shown = chain.caFingerprint();
        X509Certificate server = chain.chain().get(0);
        if (given != null) {
            try {
                new PinnedCaTrustManager(given)
                        .checkServerTrusted(chain.chain().toArray(X509Certificate[]::new), "UNKNOWN");
            } catch (CertificateException e) {
                throw new InvalidInput("--ca-fingerprint: " + e.getMessage());
            }
            return given;
        }
        System.out.println("The coordinator at " + uri + " presents:");
        System.out.println("  certificate  " + server.getSubjectX500Principal().getName());
        System.out.println(
                "  issued by    " + chain.ca().getSubjectX500Principal().getName());
        System.out.println("  CA           " + shown);
        System.out.println("Check the CA fingerprint with the coordinator's admin (its log says it at start).");
        System.out.flush();
        if (!stdinIsTerminal()) {
            throw new InvalidInput("not pinning a CA nobody checked: stdin is not a terminal, so pass --ca-fingerprint "
                    + shown + " once you have checked it");
        }
        System.out.print("Pin this CA for " + uri + "? [y/N] ");
        System.out.flush();
        String answer;
        try {
            answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).matches("y|yes")) {
            throw new InvalidInput("not pinned: nothing written");
        }
        return shown;
    }

    /** Whether a person may be typing: stdin is a terminal device, not a pipe, a file or nothing. */
    static boolean stdinIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
