package org.cyphon.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BeatLoadTest {
    @Test
    void quietDesksBeatThreeTimesPerLease() {
        assertThat(BeatLoad.quietBeatsPerSecond(9_500, Duration.ofSeconds(15))).isEqualTo(1_900.0);
        assertThat(BeatLoad.quietBeatsPerSecond(100, Duration.ofSeconds(15))).isEqualTo(20.0);
        assertThat(BeatLoad.quietBeatsPerSecond(0, Duration.ofSeconds(15))).isZero();
    }

    @Test
    void theLeaseForABigPoolKeepsItsBeatsWithinTheBudgetInWholeTensOfSeconds() {
        Duration l = BeatLoad.leaseFor(10_000, BeatLoad.BUDGET_PER_SECOND, Duration.ofSeconds(15));
        assertThat(l).isEqualTo(Duration.ofMinutes(2));
        assertThat(BeatLoad.quietBeatsPerSecond(10_000, l)).isLessThanOrEqualTo(BeatLoad.BUDGET_PER_SECOND);
        // 1,001 desks need 12.012 s; rounded up to 20 s.
        assertThat(BeatLoad.leaseFor(1_001, 250, Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void aSmallPoolKeepsTheConfiguredLease() {
        assertThat(BeatLoad.leaseFor(200, BeatLoad.BUDGET_PER_SECOND, Duration.ofSeconds(15)))
                .isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void nonsenseIsRefusedByName() {
        assertThatThrownBy(() -> BeatLoad.leaseFor(10, 0, Duration.ofSeconds(15)))
                .hasMessageContaining("budget");
        assertThatThrownBy(() -> BeatLoad.quietBeatsPerSecond(-1, Duration.ofSeconds(15)))
                .hasMessageContaining("desks");
        assertThatThrownBy(() -> BeatLoad.quietBeatsPerSecond(10, Duration.ZERO))
                .hasMessageContaining("lease");
    }
}
