package org.cyphon.cli.client;

import javax.net.ssl.SSLException;

/** Says in words why a TLS connection to the coordinator failed, with what to do about it. */
public final class TlsFailure {
    private TlsFailure() {}

    /** @return a sentence for a TLS failure anywhere in the cause chain, or null when it is not one */
    public static String explain(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (!(t instanceof SSLException)) continue;
            String m = deepest(t);
            if (m.contains("PKIX path building failed") || m.contains("unable to find valid certification path")) {
                return "the coordinator's certificate is not signed by a CA this machine trusts; pin the"
                        + " coordinator's CA with 'cyphon login URL' (it shows the fingerprint to check)"
                        + " or set CYPHON_CA_FINGERPRINT";
            }
            return "TLS refused: " + m;
        }
        return null;
    }

    private static String deepest(Throwable t) {
        String m = t.getMessage();
        for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) m = c.getMessage();
        }
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
