package org.cyphon.agent.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS setup of an HTTP client that only ever speaks plain {@code http://}.
 *
 * <p>Why: {@link HttpClient#newBuilder()} without an SSL context takes the JVM's default one, whose
 * first use parses the whole CA bundle (some 150 certificates: hundreds of X.509 and ASN.1 classes
 * and a megabyte or two of heap) — for a coordinator reached over plain HTTP on the office LAN, a
 * cost the agent would carry on every desk for nothing. For an {@code https://} coordinator the
 * default context is used, unchanged.
 *
 * <p>Not even the JDK's TLS engine is loaded for plain http: the client only asks its context for
 * parameters, and a context of the JDK's own ({@code SSLContext.getInstance("TLS")}) loads some 300
 * classes of {@code sun.security} to answer (a megabyte or two of the idle agent's memory). The
 * context here is ours and can do nothing: any attempt at TLS with it fails, it never trusts.
 */
final class UnusedTls {

    private UnusedTls() {}

    /** A builder for {@code coordinator}'s scheme: the JVM's TLS defaults for https, none loaded for http. */
    static HttpClient.Builder clientFor(URI coordinator) {
        HttpClient.Builder b = HttpClient.newBuilder();
        if (!"http".equalsIgnoreCase(coordinator.getScheme())) return b;
        return b.sslContext(new NoTls());
    }

    /** A TLS context that cannot make a connection: for a client that speaks plain http only. */
    private static final class NoTls extends SSLContext {
        NoTls() {
            super(new Refusing(), null, "none");
        }
    }

    private static final class Refusing extends SSLContextSpi {
        private static UnsupportedOperationException refused() {
            return new UnsupportedOperationException("this client was set up for plain http only");
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
            throw refused();
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw refused();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return new SSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return new SSLParameters();
        }
    }
}
