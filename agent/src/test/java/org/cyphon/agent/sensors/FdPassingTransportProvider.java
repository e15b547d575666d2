package org.cyphon.agent.sensors;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.freedesktop.dbus.connections.BusAddress;
import org.freedesktop.dbus.connections.config.TransportConfig;
import org.freedesktop.dbus.connections.transports.AbstractTransport;
import org.freedesktop.dbus.connections.transports.AbstractUnixTransport;
import org.freedesktop.dbus.exceptions.TransportConfigurationException;
import org.freedesktop.dbus.spi.transport.ITransportProvider;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;

/**
 * A dbus-java transport for the test logind only, over junixsocket, which can pass file descriptors
 * (logind hands out an inhibitor lock as one); the JDK's UNIX-domain sockets, which the agent's own
 * connections use, cannot. It answers addresses of its own kind, {@code fdunix:path=SOCKET}, so it
 * never takes over a {@code unix:} connection of the code under test in the same JVM.
 *
 * <p>Registered through {@code META-INF/services}; public because {@link java.util.ServiceLoader}
 * instantiates it.
 */
public final class FdPassingTransportProvider implements ITransportProvider {
    static final String SCHEME = "fdunix";

    /** The {@code fdunix:} address of the bus listening at {@code unixAddress} ({@code unix:path=...}). */
    static String addressFor(String unixAddress) {
        if (!unixAddress.startsWith("unix:path="))
            throw new IllegalArgumentException("not a unix:path= address: " + unixAddress);
        return SCHEME + unixAddress.substring("unix".length());
    }

    @Override
    public String getTransportName() {
        return "cyphon-test-fd-passing";
    }

    @Override
    public AbstractTransport createTransport(BusAddress address, TransportConfig config)
            throws TransportConfigurationException {
        String path = address.getParameterValue("path");
        if (path == null) throw new TransportConfigurationException("fdunix: needs path=SOCKET, got " + address);
        return new Transport(address, config, Path.of(path));
    }

    @Override
    public String getSupportedBusType() {
        return SCHEME.toUpperCase(java.util.Locale.ROOT);
    }

    @Override
    public String createDynamicSessionAddress(boolean listeningSocket) {
        throw new UnsupportedOperationException("the test transport only connects to a bus that is already there");
    }

    /** A client connection to the bus socket, with file descriptor passing negotiated. */
    static final class Transport extends AbstractUnixTransport {
        private final Path socket;
        private AFUNIXSocketChannel channel;

        Transport(BusAddress address, TransportConfig config, Path socket) {
            super(address, config);
            this.socket = socket;
        }

        @Override
        protected boolean hasFileDescriptorSupport() {
            return true;
        }

        @Override
        protected SocketChannel connectImpl() throws IOException {
            channel = AFUNIXSocketChannel.open(AFUNIXSocketAddress.of(socket));
            return channel;
        }

        @Override
        protected SocketChannel acceptImpl() throws IOException {
            throw new IOException("the test transport does not listen");
        }

        @Override
        protected void bindImpl() throws IOException {
            throw new IOException("the test transport does not listen");
        }

        @Override
        protected boolean isBound() {
            return false;
        }

        @Override
        protected void closeTransport() throws IOException {
            if (channel != null) channel.close();
        }

        /** For SASL EXTERNAL: this process's uid, the owner of /proc/self. */
        @Override
        public int getUid(SocketChannel sock) throws IOException {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        }
    }
}
