package org.cyphon.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cyphon.core.job.JobEvent.*;
import static org.cyphon.core.job.JobState.*;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JobTransitionsTest {

    @Test
    void aJobRunsSuspendsResumesAndCompletes() {
        JobState s = QUEUED;
        s = JobTransitions.next(s, ASSIGN, 1, 5);
        assertThat(s).isEqualTo(RUNNING);
        s = JobTransitions.next(s, SUSPEND, 1, 5);
        assertThat(s).isEqualTo(SUSPENDED);
        s = JobTransitions.next(s, RESUME, 1, 5);
        assertThat(s).isEqualTo(RUNNING);
        assertThat(JobTransitions.next(s, EXITED, 1, 5)).isEqualTo(COMPLETED);
    }

    @Test
    void aSuspendedJobCanExitOrBeLost() {
        assertThat(JobTransitions.next(SUSPENDED, EXITED, 1, 5)).isEqualTo(COMPLETED);
        assertThat(JobTransitions.next(SUSPENDED, ATTEMPT_LOST, 1, 5)).isEqualTo(QUEUED);
    }

    @Test
    void aLostAttemptRequeuesUntilAttemptsAreUsedUpThenFails() {
        assertThat(JobTransitions.next(RUNNING, ATTEMPT_LOST, 1, 3)).isEqualTo(QUEUED);
        assertThat(JobTransitions.next(RUNNING, ATTEMPT_LOST, 2, 3)).isEqualTo(QUEUED);
        assertThat(JobTransitions.next(RUNNING, ATTEMPT_LOST, 3, 3)).isEqualTo(FAILED);
    }

    @Test
    void aVacateNeverUsesUpAttempts() {
        assertThat(JobTransitions.next(RUNNING, VACATED, 99, 1)).isEqualTo(QUEUED);
    }

    @Test
    void holdAndReleaseRoundTrip() {
        assertThat(JobTransitions.next(QUEUED, HOLD, 0, 5)).isEqualTo(HELD);
        assertThat(JobTransitions.next(RUNNING, HOLD, 1, 5)).isEqualTo(HELD);
        assertThat(JobTransitions.next(SUSPENDED, HOLD, 1, 5)).isEqualTo(HELD);
        assertThat(JobTransitions.next(HELD, RELEASE, 1, 5)).isEqualTo(QUEUED);
        assertThat(JobTransitions.next(HELD, CANCEL, 1, 5)).isEqualTo(CANCELLED);
    }

    @ParameterizedTest
    @EnumSource(
            value = JobState.class,
            names = {"COMPLETED", "FAILED", "CANCELLED"})
    void terminalStatesAcceptNoEventAtAll(JobState terminal) {
        for (JobEvent e : JobEvent.values()) {
            assertThat(JobTransitions.isLegal(terminal, e))
                    .as(terminal + " + " + e)
                    .isFalse();
        }
    }

    @Test
    void illegalEventsAreRefusedWithAMessageNamingStateAndEvent() {
        assertThatThrownBy(() -> JobTransitions.next(QUEUED, RELEASE, 0, 5))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessage("a queued job cannot be released");
        assertThatThrownBy(() -> JobTransitions.next(COMPLETED, CANCEL, 1, 5))
                .hasMessage("a completed job cannot be cancelled");
        assertThatThrownBy(() -> JobTransitions.next(HELD, ASSIGN, 0, 5)).hasMessage("a held job cannot be assigned");
    }

    @Test
    void onlyQueuedJobsCanBeAssigned() {
        EnumSet<JobState> assignable = EnumSet.noneOf(JobState.class);
        for (JobState s : JobState.values()) if (JobTransitions.isLegal(s, ASSIGN)) assignable.add(s);
        assertThat(assignable).containsExactly(QUEUED);
    }

    @Test
    void everyNonTerminalStateCanBeCancelled() {
        for (JobState s : JobState.values()) {
            assertThat(JobTransitions.isLegal(s, CANCEL)).as(s.name()).isEqualTo(!s.isTerminal());
        }
    }

    @Test
    void wireNamesRoundTripAndUnknownNamesAreExplained() {
        for (JobState s : JobState.values())
            assertThat(JobState.fromWire(s.wireName())).isEqualTo(s);
        assertThatThrownBy(() -> JobState.fromWire("done")).hasMessageContaining("unknown job state 'done'");
    }

    @Test
    void aLeaseAcceptsOnlyItsOwnTokenAndExpiresAtItsTime() {
        var now = java.time.Instant.parse("2026-11-24T10:00:00Z");
        Lease lease = new Lease(7, now.plusSeconds(15));
        assertThat(lease.accepts(7)).isTrue();
        assertThat(lease.accepts(6)).isFalse();
        assertThat(lease.expiredAt(now.plusSeconds(14))).isFalse();
        assertThat(lease.expiredAt(now.plusSeconds(15))).isTrue();
        assertThat(lease.renewedAt(now.plusSeconds(14), java.time.Duration.ofSeconds(15))
                        .expiredAt(now.plusSeconds(20)))
                .isFalse();
    }
}
