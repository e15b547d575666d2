package org.cyphon.core.owner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoadHistoryTest {
    private static final Instant T0 = Instant.parse("2025-03-03T12:00:00Z");

    private static LoadSeen cpus(int second, double cpus) {
        return new LoadSeen("proc", T0.plusSeconds(second), cpus, 4, -1, -1, -1);
    }

    @Test
    void heldSinceIsTheStartOfTheCurrentRun() {
        LoadHistory h = LoadHistory.empty(Duration.ofMinutes(5));
        double[] profile = {0.2, 3, 3, 0.2, 3, 3, 3};
        for (int i = 0; i < profile.length; i++) h = h.with(cpus(i, profile[i]));

        assertThat(h.heldSince(s -> s.ownerCpus() >= 2)).isEqualTo(T0.plusSeconds(4));
        assertThat(h.heldSince(s -> s.ownerCpus() < 2)).isNull();
        assertThat(h.latest().ownerCpus()).isEqualTo(3.0);
        assertThat(LoadHistory.empty(Duration.ofMinutes(1)).heldSince(s -> true))
                .isNull();
    }

    @Test
    void keepsOneWindowAndIgnoresLateSamples() {
        LoadHistory h = LoadHistory.empty(Duration.ofSeconds(10));
        for (int i = 0; i <= 30; i++) h = h.with(cpus(i, 1));
        h = h.with(cpus(5, 4)); // late: ignored

        assertThat(h.size()).isEqualTo(11);
        assertThat(h.heldSince(s -> s.ownerCpus() == 1))
                .as("a run older than the window starts at the oldest sample kept")
                .isEqualTo(T0.plusSeconds(20));
    }

    @Test
    void aRunawaySensorCannotMakeCopiesExpensive() {
        LoadHistory h = LoadHistory.empty(Duration.ofHours(1));
        for (int i = 0; i < LoadHistory.MAX_SAMPLES + 100; i++)
            h = h.with(new LoadSeen("proc", T0.plusMillis(i), 1, 4, -1, -1, -1));

        assertThat(h.size()).isEqualTo(LoadHistory.MAX_SAMPLES);
    }
}
