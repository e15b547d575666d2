package org.cyphon.core.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelsTest {
    @Test
    void parsesPairsAndNamesWhatIsWrong() {
        assertThat(Labels.parse(List.of("os=linux", "gpu=nvidia", "room=b12")))
                .containsExactly(Map.entry("gpu", "nvidia"), Map.entry("os", "linux"), Map.entry("room", "b12"));
        assertThatThrownBy(() -> Labels.parse(List.of("gpu"))).hasMessageContaining("'gpu' is not KEY=VALUE");
        assertThatThrownBy(() -> Labels.parse(List.of("GPU=x"))).hasMessageContaining("label name 'GPU'");
        assertThatThrownBy(() -> Labels.parse(List.of("room=b 12"))).hasMessageContaining("label room: value 'b 12'");
    }

    @Test
    void adminLabelsOverrideTheAgentsAndAnOfferCarriesOnlyExactValues() {
        Map<String, String> merged = Labels.merge(Map.of("os", "linux", "gpu", "amd"), Map.of("gpu", "nvidia"));
        assertThat(merged).containsExactly(Map.entry("gpu", "nvidia"), Map.entry("os", "linux"));
        Offer o = new Offer("m", 1000, 1L << 30, true, merged);
        assertThat(o.carries(Map.of("gpu", "nvidia"))).isTrue();
        assertThat(o.carries(Map.of("gpu", "NVIDIA"))).isFalse();
        assertThat(o.carries(Map.of("room", "b12"))).isFalse();
        assertThat(Labels.show(merged)).isEqualTo("gpu=nvidia,os=linux");
        assertThat(Labels.show(Map.of())).isEqualTo("-");
    }
}
