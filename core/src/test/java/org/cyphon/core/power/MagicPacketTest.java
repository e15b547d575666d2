package org.cyphon.core.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MagicPacketTest {
    @Test
    void isSixFfThenTheAddressSixteenTimes() {
        byte[] p = MagicPacket.of(MacAddress.parse("52:54:00:AB:cd:0f"));
        String hex = HexFormat.of().formatHex(p);
        assertThat(p).hasSize(102);
        assertThat(hex).isEqualTo("ffffffffffff" + "525400abcd0f".repeat(16));
    }

    @Test
    void readsBothSeparatorsAndPrintsWhatIpLinkPrints() {
        assertThat(MacAddress.parse("52-54-00-AB-CD-0F").toString()).isEqualTo("52:54:00:ab:cd:0f");
        assertThat(MacAddress.parse(" 52:54:00:ab:cd:0f\n")).isEqualTo(MacAddress.parse("52-54-00-AB-CD-0F"));
    }

    @Test
    void refusesWhatNoCardOwns() {
        assertThatThrownBy(() -> MacAddress.parse("00:00:00:00:00:00")).hasMessageContaining("empty");
        assertThatThrownBy(() -> MacAddress.parse("ff:ff:ff:ff:ff:ff")).hasMessageContaining("group");
        assertThatThrownBy(() -> MacAddress.parse("01:00:5e:00:00:01")).hasMessageContaining("group");
        assertThatThrownBy(() -> MacAddress.parse("52:54:00:ab:cd")).hasMessageContaining("not a MAC address");
        assertThatThrownBy(() -> MacAddress.parse(null)).hasMessageContaining("not a MAC address");
    }
}
