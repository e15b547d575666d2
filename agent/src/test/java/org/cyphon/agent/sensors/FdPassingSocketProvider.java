package org.cyphon.agent.sensors;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.messages.Message;
import org.freedesktop.dbus.spi.message.AbstractInputStreamMessageReader;
import org.freedesktop.dbus.spi.message.AbstractOutputStreamMessageWriter;
import org.freedesktop.dbus.spi.message.IMessageReader;
import org.freedesktop.dbus.spi.message.IMessageWriter;
import org.freedesktop.dbus.spi.message.ISocketProvider;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * Reads and writes messages with their file descriptors on {@link FdPassingTransportProvider}'s
 * junixsocket channels (and declines every other channel, which dbus-java then serves as usual).
 * A descriptor given away with {@link #handOver} is closed here once the message carrying it has
 * been written: the kernel has given the receiver its own copy by then, and logind's side of an
 * inhibitor lock must not keep the lock held itself.
 *
 * <p>Public because {@link java.util.ServiceLoader} instantiates it.
 */
public final class FdPassingSocketProvider implements ISocketProvider {
    /** Descriptors to close once sent, by number. */
    private static final Map<Integer, AutoCloseable> HANDED_OVER = new ConcurrentHashMap<>();

    private boolean fdSupport;

    /** The descriptor number of {@code fd}, for a D-Bus {@code h} argument. */
    static int numberOf(FileDescriptor fd) throws IOException {
        return FileDescriptorCast.using(fd).as(Integer.class);
    }

    /** {@code owner} (which holds descriptor {@code fd}) is closed once a message carrying {@code fd} is sent. */
    static void handOver(int fd, AutoCloseable owner) {
        HANDED_OVER.put(fd, owner);
    }

    @Override
    public IMessageReader createReader(SocketChannel channel) {
        return channel instanceof AFUNIXSocketChannel ? new Reader(channel, this) : null;
    }

    @Override
    public IMessageWriter createWriter(SocketChannel channel) {
        return channel instanceof AFUNIXSocketChannel ? new Writer(channel, this) : null;
    }

    @Override
    public void setFileDescriptorSupport(boolean support) {
        fdSupport = support;
    }

    @Override
    public boolean isFileDescriptorPassingSupported() {
        return fdSupport;
    }

    @Override
    public Optional<Integer> getFileDescriptorValue(FileDescriptor fd) {
        try {
            return Optional.of(numberOf(fd));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<FileDescriptor> createFileDescriptor(int fd) {
        try {
            return Optional.of(FileDescriptorCast.unsafeUsing(fd).getFileDescriptor());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The test logind receives no descriptors (nothing it is sent carries one). */
    private static final class Reader extends AbstractInputStreamMessageReader {
        Reader(SocketChannel channel, ISocketProvider provider) {
            super(channel, provider);
        }

        @Override
        protected List<org.freedesktop.dbus.FileDescriptor> readFileDescriptors(SocketChannel channel)
                throws DBusException {
            List<org.freedesktop.dbus.FileDescriptor> fds = new ArrayList<>();
            try {
                FileDescriptor[] received = ((AFUNIXSocketChannel) channel).getReceivedFileDescriptors();
                if (received != null)
                    for (FileDescriptor fd : received) fds.add(new org.freedesktop.dbus.FileDescriptor(numberOf(fd)));
            } catch (IOException e) {
                throw new DBusException("cannot read the passed file descriptors: " + e.getMessage(), e);
            }
            return fds;
        }
    }

    /** Attaches a message's descriptors to its first write, then closes those handed over. */
    private static final class Writer implements IMessageWriter {
        private final Delegate delegate;

        Writer(SocketChannel channel, ISocketProvider provider) {
            this.delegate = new Delegate(channel, provider);
        }

        @Override
        public void writeMessage(Message m) throws IOException {
            delegate.writeMessage(m);
            for (org.freedesktop.dbus.FileDescriptor fd : m.getFiledescriptors()) {
                AutoCloseable owner = HANDED_OVER.remove(fd.getIntFileDescriptor());
                if (owner == null) continue;
                try {
                    owner.close();
                } catch (Exception e) {
                    throw new IOException("cannot close a handed-over descriptor: " + e.getMessage(), e);
                }
            }
        }

        @Override
        public boolean isClosed() {
            return delegate.isClosed();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }

    private static final class Delegate extends AbstractOutputStreamMessageWriter {
        Delegate(SocketChannel channel, ISocketProvider provider) {
            super(channel, provider);
        }

        @Override
        protected void writeFileDescriptors(SocketChannel channel, List<org.freedesktop.dbus.FileDescriptor> fds)
                throws IOException {
            FileDescriptor[] out = new FileDescriptor[fds.size()];
            for (int i = 0; i < out.length; i++)
                out[i] = FileDescriptorCast.unsafeUsing(fds.get(i).getIntFileDescriptor())
                        .getFileDescriptor();
            ((AFUNIXSocketChannel) channel).setOutboundFileDescriptors(out);
        }
    }
}
