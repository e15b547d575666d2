package org.cyphon.core.desk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The memory a desk VM holds in each state, and what is left for jobs. */
class VmMemoryTest {
    private static final long MAX = 8192;
    private static final long MACHINE = 16L << 30;

    @Test
    void runningItHoldsItsBalloonTargetOrWhatTheGuestHasNotGivenBackYet() {
        assertThat(VmMemory.heldMiB(VmState.RUNNING, true, null, null, MAX))
                .as("a fresh guest has all of memory_max")
                .isEqualTo(MAX);
        assertThat(VmMemory.heldMiB(VmState.RUNNING, true, 8192L, 2048L, MAX))
                .as("growing back to its target: the target counts")
                .isEqualTo(8192);
        assertThat(VmMemory.heldMiB(VmState.RUNNING, true, 2048L, 6000L, MAX))
                .as("shrinking: what it still has counts")
                .isEqualTo(6000);
        assertThat(VmMemory.heldMiB(VmState.RUNNING, true, 2048L, 2048L, MAX)).isEqualTo(2048);
    }

    @Test
    void pausedItHoldsWhatTheGuestReallyHasAfterTheSqueeze() {
        assertThat(VmMemory.heldMiB(VmState.PAUSED, true, 2048L, 3000L, MAX))
                .as("the guest gave back only part")
                .isEqualTo(3000);
        assertThat(VmMemory.heldMiB(VmState.PAUSED, true, 2048L, 2048L, MAX)).isEqualTo(2048);
        assertThat(VmMemory.heldMiB(VmState.PAUSED, true, null, null, MAX)).isEqualTo(MAX);
    }

    @Test
    void savedStoppedOrDeadItHoldsNothingAndUnknownItHoldsAll() {
        assertThat(VmMemory.heldMiB(VmState.SAVED, false, 2048L, null, MAX)).isZero();
        assertThat(VmMemory.heldMiB(VmState.STOPPED, false, null, null, MAX)).isZero();
        assertThat(VmMemory.heldMiB(VmState.FAILED, false, null, null, MAX))
                .as("its process died")
                .isZero();
        assertThat(VmMemory.heldMiB(VmState.FAILED, true, 2048L, 2048L, MAX))
                .as("a panicked guest keeps its process")
                .isEqualTo(MAX);
        assertThat(VmMemory.heldMiB(VmState.RESTORING, true, null, null, MAX)).isEqualTo(MAX);
        assertThat(VmMemory.heldMiB(VmState.UNKNOWN, true, null, null, MAX)).isEqualTo(MAX);
    }

    @Test
    void theOfferIsTheMachinesMinusTheVmsNeverNegative() {
        assertThat(VmMemory.offerBytes(MACHINE, 8192)).isEqualTo(8L << 30);
        assertThat(VmMemory.offerBytes(MACHINE, 0)).isEqualTo(MACHINE);
        assertThat(VmMemory.offerBytes(4L << 30, 8192)).isZero();
    }
}
