package org.cyphon.agent.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The fields of {@code /proc/PID/stat} (proc(5)) the sandbox uses. The command name in field 2 may
 * hold spaces and parentheses, so fields are counted from the last ')'.
 *
 * @param state    one letter: 'T' stopped, 'Z' zombie (dead, only waiting to be reaped), ...
 * @param session  session id (the pid of the session's leader)
 * @param cpuTicks utime + stime + cutime + cstime, in clock ticks
 */
record ProcStat(long pid, char state, long session, long cpuTicks) {

    /**
     * Clock ticks per second of {@code /proc} times: USER_HZ, which is 100 on every Linux ABI the
     * agent runs on (it is fixed for user space whatever CONFIG_HZ the kernel has).
     */
    static final double TICKS_PER_SECOND = 100.0;

    boolean isZombie() {
        return state == 'Z' || state == 'X';
    }

    /** Empty when the process does not exist (any more). */
    static Optional<ProcStat> of(long pid) {
        String text;
        try {
            text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(parse(pid, text));
    }

    static ProcStat parse(long pid, String text) {
        String[] f = text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
        // f[i] is field i+3 of proc(5).
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        return new ProcStat(pid, f[0].charAt(0), Long.parseLong(f[3]), ticks);
    }
}
