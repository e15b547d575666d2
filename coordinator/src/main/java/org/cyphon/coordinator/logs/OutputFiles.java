package org.cyphon.coordinator.logs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.cyphon.coordinator.files.PrivateFiles;

/**
 * Attempts' output on disk: {@code logs/<jobId>/<attempt>.<stream>}, at most {@code maxBytes} per
 * stream per attempt. Writes land at the offset the agent gives, so a re-sent chunk overwrites
 * itself (idempotent) instead of duplicating; bytes past the cap are dropped.
 */
public final class OutputFiles {
    private final Path dir;
    private final long maxBytes;

    /**
     * @param stored bytes now in the file
     * @param truncated some bytes of this write fell past the cap
     */
    public record Written(long stored, boolean truncated) {}

    public OutputFiles(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Writes {@code bytes} at {@code offset}, keeping at most {@code maxBytes}.
     *
     * @throws IllegalArgumentException if {@code offset} is past the end of what is stored (a gap)
     *                                  while still under the cap
     */
    public Written write(long jobId, int attempt, String stream, long offset, byte[] bytes) throws IOException {
        Path file = file(jobId, attempt, stream);
        PrivateFiles.directory(file.getParent()); // a job's output is its owner's: 0700 and 0600, whatever the umask
        try (FileChannel ch = PrivateFiles.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (offset >= maxBytes) return new Written(size, bytes.length > 0);
            if (offset > size)
                throw new IllegalArgumentException(
                        "offset " + offset + " is past the " + size + " bytes stored; send from " + size);
            int keep = (int) Math.min(bytes.length, maxBytes - offset);
            ByteBuffer buf = ByteBuffer.wrap(bytes, 0, keep);
            long at = offset;
            while (buf.hasRemaining()) at += ch.write(buf, at);
            return new Written(ch.size(), keep < bytes.length);
        }
    }

    /** Bytes stored for the stream (0 when none). */
    public long size(long jobId, int attempt, String stream) throws IOException {
        Path f = file(jobId, attempt, stream);
        return Files.exists(f) ? Files.size(f) : 0;
    }

    /** The stored bytes from {@code offset} up to {@code end} (an earlier {@link #size}), as a stream. */
    public InputStream read(long jobId, int attempt, String stream, long offset, long end) throws IOException {
        if (offset >= end) return InputStream.nullInputStream();
        FileChannel ch;
        try {
            ch = FileChannel.open(file(jobId, attempt, stream), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return InputStream.nullInputStream();
        }
        ch.position(offset);
        InputStream in = Channels.newInputStream(ch);
        return new InputStream() {
            long left = end - offset;

            @Override
            public int read() throws IOException {
                if (left <= 0) return -1;
                int b = in.read();
                if (b >= 0) left--;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) return -1;
                int n = in.read(b, off, (int) Math.min(len, left));
                if (n > 0) left -= n;
                return n;
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }

    Path file(long jobId, int attempt, String stream) {
        return dir.resolve(Long.toString(jobId)).resolve(attempt + "." + stream);
    }
}
