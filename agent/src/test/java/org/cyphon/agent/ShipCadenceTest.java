package org.cyphon.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ShipCadenceTest {
    @Test
    void quietJobsAreLookedAtLessAndLessOftenAndAtOnceAgainWhenTheyWrite() {
        ShipCadence s = new ShipCadence(Duration.ofSeconds(2));
        assertThat(s.next(false)).isEqualTo(Duration.ofSeconds(4));
        assertThat(s.next(false)).isEqualTo(Duration.ofSeconds(8));
        assertThat(s.next(false)).isEqualTo(Duration.ofSeconds(16));
        assertThat(s.next(false)).isEqualTo(Duration.ofSeconds(16));
        assertThat(s.next(true)).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.next(true)).isEqualTo(Duration.ofSeconds(2));
    }
}
