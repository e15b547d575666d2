package org.cyphon.agent.sensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One record of {@code /var/run/utmp} (glibc's {@code struct utmp}, utmp(5)), 384 bytes on Linux
 * for both 64-bit and 32-bit x86/ARM, whose times are 32-bit on both:
 *
 * <pre>
 *   0 short ut_type    (+2 padding)     44 char ut_user[32]     336 int32 ut_session
 *   4 pid_t ut_pid                      76 char ut_host[256]    340 int32 tv_sec, 344 int32 tv_usec
 *   8 char ut_line[32]                 332 short e_termination 348 int32 ut_addr_v6[4]
 *  40 char ut_id[4]                    334 short e_exit        364 char reserved[20]
 * </pre>
 *
 * Strings are NUL-padded, and not NUL-terminated when they fill their field.
 */
record UtmpRecord(int type, long pid, String line, String id, String user, String host, Instant time) {

    static final int SIZE = 384;
    /** ut_type of a login session; the others are boot, run level, getty and ended entries. */
    static final int USER_PROCESS = 7;

    /** Every whole record in the file's bytes, in file order. */
    static List<UtmpRecord> parseAll(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.nativeOrder());
        List<UtmpRecord> out = new ArrayList<>();
        for (int at = 0; at + SIZE <= file.length; at += SIZE) {
            out.add(new UtmpRecord(
                    b.getShort(at),
                    Integer.toUnsignedLong(b.getInt(at + 4)),
                    text(file, at + 8, 32),
                    text(file, at + 40, 4),
                    text(file, at + 44, 32),
                    text(file, at + 76, 256),
                    Instant.ofEpochSecond(Integer.toUnsignedLong(b.getInt(at + 340)), b.getInt(at + 344) * 1000L)));
        }
        return out;
    }

    private static String text(byte[] file, int from, int max) {
        int end = from;
        while (end < from + max && file[end] != 0) end++;
        return new String(file, from, end - from, StandardCharsets.UTF_8);
    }
}
