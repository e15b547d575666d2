package org.cyphon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.cyphon.core.protocol.DeskView.PowerView;
import org.junit.jupiter.api.Test;

/** The {@code power-off:} line of {@code cyphon machine NAME}: how the desk's agent leaves when the desk goes down. */
class PowerOffLineTest {
    @Test
    void aDeskWhoseLogindAnnouncesPowerOffsShowsTheBoundInForce() {
        assertThat(MachineCommand.powerOff(new PowerView("logind", true, 30_000L, 45_000, null)))
                .isEqualTo(
                        "announced by logind: jobs checkpointed and the desk VM saved within 30s"
                                + " (logind's InhibitDelayMaxUSec); delay lock held; SIGTERM: checkpoint and vacate within 45s");
    }

    @Test
    void aDeskWithoutItsDelayLockSaysWhy() {
        assertThat(MachineCommand.powerOff(
                        new PowerView("logind", false, 5_000L, 45_000, "systemd-inhibit not found (package systemd)")))
                .contains("within 5s (logind's InhibitDelayMaxUSec)")
                .contains("no delay lock: systemd-inhibit not found (package systemd)");
    }

    @Test
    void aDeskWhereNothingAnnouncesPowerOffsHasOnlyTheSigterm() {
        assertThat(MachineCommand.powerOff(new PowerView(null, false, null, 80_000, "no system D-Bus at unix:path=/x")))
                .isEqualTo(
                        "not announced (no system D-Bus at unix:path=/x); SIGTERM: checkpoint and vacate within 1m20s");
    }
}
