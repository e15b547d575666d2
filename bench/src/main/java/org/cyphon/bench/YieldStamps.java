package org.cyphon.bench;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * The benchmark's side of the stamp file that {@code bench/src/main/c/yield-stamper.c} writes
 * under the agent: word 0 counts the stamps, words 1..SLOTS are a ring of CLOCK_MONOTONIC
 * nanoseconds, one per millisecond while the job runs. Mapped, not read with system calls, so
 * watching the job costs the two shared cores next to nothing. {@link System#nanoTime} reads the
 * same clock on Linux, so stamps compare directly with the benchmark's own instants.
 */
final class YieldStamps implements AutoCloseable {
    /** Must match SLOTS in yield-stamper.c. */
    static final int SLOTS = 65_536;

    private static final VarHandle WORD = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final FileChannel channel;
    private final MappedByteBuffer words;

    private YieldStamps(FileChannel channel, MappedByteBuffer words) {
        this.channel = channel;
        this.words = words;
    }

    /** Creates the file at full size, writable by the job's user (nobody), and maps it. */
    static YieldStamps create(Path file) throws IOException {
        long size = 8L * (1 + SLOTS);
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            c.write(
                    ByteBuffer.allocate(1),
                    size - 1); // writing the last byte gives the file its full size, zeros before it
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        return new YieldStamps(channel, channel.map(FileChannel.MapMode.READ_ONLY, 0, size));
    }

    /** Stamps written so far. Acquire: every stamp below it is visible. */
    long count() {
        return (long) WORD.getAcquire(words, 0);
    }

    /** The newest stamp, or -1 before the first. */
    long latest() {
        long n = count();
        return n == 0 ? -1 : stamp(n - 1);
    }

    private long stamp(long n) {
        return (long) WORD.getAcquire(words, 8 * (int) (1 + n % SLOTS));
    }

    /** Every stamp at or after {@code fromNanos} still in the ring, oldest first. */
    long[] since(long fromNanos) {
        long n = count();
        long oldest = Math.max(0, n - SLOTS + 1); // the slot being overwritten next may be torn: skip it
        long[] out = new long[(int) Math.min(n, SLOTS)];
        int size = 0;
        for (long k = n - 1; k >= oldest; k--) {
            long s = stamp(k);
            if (s < fromNanos) break;
            out[size++] = s;
        }
        long[] asc = Arrays.copyOf(out, size);
        for (int i = 0, j = size - 1; i < j; i++, j--) {
            long t = asc[i];
            asc[i] = asc[j];
            asc[j] = t;
        }
        return asc;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
