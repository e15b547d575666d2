package org.cyphon.agent.checkpoint;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@link ArchiveEntries} through a pipe between the agent and the job-side process
 * ({@link ArchiveAsJob}): one tag byte per entry, then its fields; a file's bytes follow its
 * header. {@code Z} ends a complete stream, so a process that dies half-way is never taken for one
 * that finished. The reader trusts nothing it reads: lengths are bounded, and what it passes on is
 * checked again by whoever takes it. JDK only (see {@link ArchiveEntries}).
 *
 * <pre>
 * D path mode mtime        a directory
 * F path mode mtime size   a file, then size bytes
 * S path why               something left out
 * Z                        the end
 * </pre>
 * Strings are an int length and that many UTF-8 bytes; mode an int, mtime (ms) and size longs.
 */
final class EntryWire {
    /** Longest path or reason accepted: Linux's PATH_MAX, with room. */
    static final int MAX_STRING = 64 * 1024;

    private EntryWire() {}

    /** Encodes entries onto {@code out}; {@link #end} finishes the stream. */
    static final class Writer implements ArchiveEntries {
        private final DataOutputStream out;
        private final byte[] buffer = new byte[64 * 1024];

        Writer(DataOutputStream out) {
            this.out = out;
        }

        @Override
        public void directory(String path, int mode, long modifiedMillis) throws IOException {
            out.writeByte('D');
            string(path);
            out.writeInt(mode);
            out.writeLong(modifiedMillis);
        }

        @Override
        public void file(String path, int mode, long modifiedMillis, long size, InputStream content)
                throws IOException {
            out.writeByte('F');
            string(path);
            out.writeInt(mode);
            out.writeLong(modifiedMillis);
            out.writeLong(size);
            long left = size;
            while (left > 0) {
                int n = content.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) throw new IOException("entry '" + path + "' ended " + left + " bytes short");
                out.write(buffer, 0, n);
                left -= n;
            }
        }

        @Override
        public void skipped(String path, String why) throws IOException {
            out.writeByte('S');
            string(path);
            string(why);
        }

        void end() throws IOException {
            out.writeByte('Z');
            out.flush();
        }

        private void string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }
    }

    /**
     * Decodes a whole stream into {@code to}, up to its {@code Z}.
     *
     * @throws IOException when the stream is cut short or malformed
     */
    static void read(DataInputStream in, ArchiveEntries to) throws IOException {
        try {
            while (true) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 'D' -> to.directory(string(in), in.readInt(), in.readLong());
                    case 'F' -> {
                        String path = string(in);
                        int mode = in.readInt();
                        long mtime = in.readLong();
                        long size = in.readLong();
                        if (size < 0) throw new IOException("entry '" + path + "' has a negative size");
                        Bounded content = new Bounded(in, size);
                        to.file(path, mode, mtime, size, content);
                        content.drain();
                    }
                    case 'S' -> to.skipped(string(in), string(in));
                    case 'Z' -> {
                        return;
                    }
                    default -> throw new IOException("unexpected byte " + tag + " in the entry stream");
                }
            }
        } catch (EOFException e) {
            throw new IOException("the entry stream ended before its end mark", e);
        }
    }

    private static String string(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_STRING) throw new IOException("a name of " + n + " bytes in the entry stream");
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    /** The next {@code size} bytes of the stream, no more; what the taker leaves unread is skipped. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long size) {
            this.in = in;
            this.left = size;
        }

        @Override
        public int read() throws IOException {
            if (left == 0) return -1;
            int b = in.read();
            if (b < 0) throw new EOFException();
            left--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) throw new EOFException();
            left -= n;
            return n;
        }

        void drain() throws IOException {
            byte[] skip = new byte[8192];
            while (left > 0) if (read(skip, 0, skip.length) < 0) break;
        }
    }
}
