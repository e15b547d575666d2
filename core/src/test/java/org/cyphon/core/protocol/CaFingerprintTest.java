package org.cyphon.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CaFingerprintTest {
    // sha256("abc"), a published test vector.
    private static final String ABC = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void isTheSha256OfTheDerInLowercaseHex() {
        CaFingerprint f = CaFingerprint.ofDer("abc".getBytes(StandardCharsets.US_ASCII));
        assertThat(f.text()).isEqualTo(ABC);
        assertThat(f.matches("abc".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(f.matches("abd".getBytes(StandardCharsets.US_ASCII))).isFalse();
    }

    @Test
    void parsesWhatPeoplePasteUppercaseOrWithColons() {
        String colons = "SHA256:"
                + String.join(
                        ":", ABC.substring(7).toUpperCase(java.util.Locale.ROOT).split("(?<=\\G..)"));
        assertThat(CaFingerprint.parse(colons).text()).isEqualTo(ABC);
        assertThat(CaFingerprint.parse("  " + ABC + "\n").text()).isEqualTo(ABC);
    }

    @Test
    void refusesOtherShapesSayingWhatIsExpected() {
        assertThatThrownBy(() -> CaFingerprint.parse("sha1:abcd")).hasMessageContaining("sha256:<64 hex digits>");
        assertThatThrownBy(() -> CaFingerprint.parse("sha256:abcd")).hasMessageContaining("got 4 characters");
        assertThatThrownBy(() -> CaFingerprint.parse(null)).hasMessageContaining("no CA fingerprint");
        assertThatThrownBy(() -> new CaFingerprint(ABC.toUpperCase(java.util.Locale.ROOT)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
