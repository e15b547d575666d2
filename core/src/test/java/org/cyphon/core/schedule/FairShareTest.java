package org.cyphon.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FairShareTest {
    private static final Instant T0 = Instant.parse("2026-03-02T12:00:00Z");

    @Test
    void usageHalvesEveryHalfLifeAndChargesAdd() {
        FairShare s = FairShare.empty(Duration.ofHours(24)).charge("alice", 1000, T0);
        assertThat(s.usage("alice", T0)).isEqualTo(1000.0);
        assertThat(s.usage("alice", T0.plus(Duration.ofHours(24)))).isCloseTo(500.0, within(1e-9));
        assertThat(s.usage("alice", T0.plus(Duration.ofDays(3)))).isCloseTo(125.0, within(1e-9));
        assertThat(s.usage("bob", T0)).isZero();
        FairShare more = s.charge("alice", 100, T0.plus(Duration.ofHours(24)));
        assertThat(more.usage("alice", T0.plus(Duration.ofDays(2)))).isCloseTo(300.0, within(1e-9));
        assertThat(FairShare.restore(more.halfLife(), more.usages()).usage("alice", T0.plus(Duration.ofDays(2))))
                .isEqualTo(more.usage("alice", T0.plus(Duration.ofDays(2))));
    }

    @Test
    void rejectsANonPositiveHalfLife() {
        assertThatThrownBy(() -> FairShare.empty(Duration.ZERO)).hasMessageContaining("half-life");
    }
}
