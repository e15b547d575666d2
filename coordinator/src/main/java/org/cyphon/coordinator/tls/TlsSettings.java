package org.cyphon.coordinator.tls;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code [tls]} of {@code coordinator.toml}: when the coordinator serves HTTPS and with which
 * certificate.
 *
 * @param mode     {@link Mode#AUTO}: HTTPS unless {@code http.listen} is a loopback address;
 *                 {@link Mode#ALWAYS}: HTTPS on loopback too
 * @param certFile PEM certificate chain, server certificate first ({@code tls.cert}); null: the
 *                 coordinator issues its own from a CA it creates under {@code data_dir/tls}
 * @param keyFile  PEM private key of the first certificate ({@code tls.key}); given with certFile
 * @param names    extra host names or addresses for the self-issued certificate ({@code tls.names}):
 *                 a DNS name desks use, an address behind NAT
 */
public record TlsSettings(Mode mode, Path certFile, Path keyFile, List<String> names) {

    /** When the coordinator serves HTTPS. */
    public enum Mode {
        AUTO,
        ALWAYS;

        /** "auto" or "always", as written in the file. */
        public static Mode parse(String text) {
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "tls.mode: '" + text + "' is not one of auto (HTTPS unless listening on loopback), always");
            }
        }
    }

    public static final TlsSettings DEFAULT = new TlsSettings(Mode.AUTO, null, null, List.of());

    public TlsSettings {
        if (mode == null) mode = Mode.AUTO;
        names = names == null ? List.of() : List.copyOf(names);
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException(
                    certFile == null
                            ? "tls.key: given without tls.cert (name both, or neither for a self-issued certificate)"
                            : "tls.cert: given without tls.key (name both, or neither for a self-issued certificate)");
        }
        for (String n : names) {
            if (n == null || !n.matches("[A-Za-z0-9.:*-]{1,253}")) {
                throw new IllegalArgumentException("tls.names: '" + n + "' is not a host name or an address");
            }
        }
    }

    /** HTTPS on every address, loopback included (tests, or a coordinator reached through an SSH tunnel). */
    public TlsSettings always() {
        return new TlsSettings(Mode.ALWAYS, certFile, keyFile, names);
    }
}
