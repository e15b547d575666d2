package org.cyphon.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** How attempt outcomes and states are spelled on the wire and in the store, which agents and the CLI already parse. */
class AttemptWireNamesTest {
    @Test
    void outcomesKeepTheirWireNamesAndOnlyTheCoordinatorLosesAnAttempt() {
        assertThat(AttemptOutcome.values())
                .extracting(AttemptOutcome::wireName)
                .containsExactly("exited", "failed_to_start", "killed", "vacated", "lost");
        for (AttemptOutcome o : AttemptOutcome.values())
            assertThat(AttemptOutcome.fromWire(o.wireName())).isEqualTo(o);
        assertThat(AttemptOutcome.reportedNames()).isEqualTo("exited, failed_to_start, killed, vacated");
        assertThat(AttemptOutcome.LOST.reported()).isFalse();
    }

    @Test
    void anUnknownOutcomeNamesItselfAndTheAcceptedOnes() {
        assertThatThrownBy(() -> AttemptOutcome.fromWire("EXITED"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown attempt outcome 'EXITED' (an agent reports one of exited, failed_to_start,"
                        + " killed, vacated; the coordinator records lost)");
    }

    @Test
    void attemptStatesKeepTheirWireNames() {
        assertThat(AttemptRunState.values())
                .extracting(AttemptRunState::wireName)
                .containsExactly("running", "suspended");
        assertThat(AttemptRunState.fromWire("suspended")).isEqualTo(AttemptRunState.SUSPENDED);
        assertThatThrownBy(() -> AttemptRunState.fromWire("frozen"))
                .hasMessage("unknown attempt state 'frozen' (one of running, suspended)");
    }
}
