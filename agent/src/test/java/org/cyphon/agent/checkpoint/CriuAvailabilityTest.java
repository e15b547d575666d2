package org.cyphon.agent.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CRIU is used only where {@code criu check} passes. A working CRIU is what this machine cannot
 * have (its kernel fails Debian's CRIU's vdso check, or CRIU is absent), so the verdicts are also
 * fed from scripts that answer as {@code criu check} does.
 */
class CriuAvailabilityTest {
    @TempDir
    Path temp;

    private Path criu(String script) throws Exception {
        Path p = temp.resolve("criu");
        Files.writeString(p, "#!/bin/sh\n[ \"$1\" = check ] || exit 64\n" + script);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void thisMachinesVerdictIsReportedEitherWay() {
        CriuAvailability here = CriuAvailability.detect();
        if (here.available()) {
            assertThat(here.describe()).isEqualTo("available");
        } else {
            assertThat(here.reason()).isNotBlank();
            assertThat(here.describe()).isEqualTo("unavailable: " + here.reason());
        }
    }

    @Test
    void aPassingCheckMeansAvailable() throws Exception {
        CriuAvailability a = CriuAvailability.check(
                criu("echo 'Warn  (criu/kerndat.c:1): something optional'\necho 'Looks good.'\nexit 0\n"),
                Duration.ofSeconds(10));
        assertThat(a.available()).isTrue();
        assertThat(a.describe()).isEqualTo("available");
    }

    @Test
    void aFailingCheckIsReportedWithCriusOwnError() throws Exception {
        CriuAvailability a = CriuAvailability.check(criu("""
                echo 'Warn  (criu/kerndat.c:1): something optional'
                echo 'Error (criu/vdso.c:325): vdso: Unexpected rt vDSO area bounds' >&2
                echo 'Error (criu/cr-check.c:1): failed' >&2
                exit 1
                """), Duration.ofSeconds(10));
        assertThat(a.available()).isFalse();
        assertThat(a.describe())
                .isEqualTo(
                        "unavailable: criu check failed (exit 1): Error (criu/vdso.c:325): vdso: Unexpected rt vDSO area bounds");
    }

    @Test
    void aHangingCheckIsCutShort() throws Exception {
        CriuAvailability a = CriuAvailability.check(criu("exec sleep 60\n"), Duration.ofMillis(300));
        assertThat(a.available()).isFalse();
        assertThat(a.reason()).startsWith("criu check failed");
    }

    @Test
    void offMeansNotLookedFor() {
        assertThat(CriuAvailability.detect(CriuMode.OFF).describe())
                .isEqualTo("unavailable: disabled by checkpoint.criu = \"off\"");
    }
}
