package org.cyphon.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Parsing /proc/PID/stat, whose second field is a command name that may hold ") (". */
class ProcStatTest {

    @Test
    void fieldsAreCountedFromTheLastParenthesisSoAHostileCommandNameCannotShiftThem() {
        String line = "4242 (evil) S 1 2 3 ( x) T 9 9 9 9 0 0 0 0 0 0 150 50 7 3 39 19 1 0 5000 0 0\n";
        // After the last ')': state T, ppid 9, pgrp 9, session 9, ... utime 150, stime 50, cutime 7, cstime 3.
        ProcStat p = ProcStat.parse(4242, line);

        assertThat(p).isEqualTo(new ProcStat(4242, 'T', 9, 210));
        assertThat(p.isZombie()).isFalse();
    }

    @Test
    void readsThisVeryProcess() throws IOException {
        long me = ProcessHandle.current().pid();
        String sid = Files.readString(Path.of("/proc/self/stat"))
                .replaceAll("^.*\\) ", "")
                .split(" ")[3];

        ProcStat p = ProcStat.of(me).orElseThrow();

        assertThat(p.session()).isEqualTo(Long.parseLong(sid));
        assertThat(p.cpuTicks()).isPositive();
        assertThat(ProcStat.of(Long.MAX_VALUE)).isEmpty();
    }
}
