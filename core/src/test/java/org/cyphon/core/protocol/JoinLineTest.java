package org.cyphon.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class JoinLineTest {
    private static final String SECRET = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde";
    private static final String CA = "sha256:" + "0123456789abcdef".repeat(4);

    @Test
    void formatsAndParsesBackWithAndWithoutACa() {
        JoinLine tls = new JoinLine(URI.create("https://pool.example:7070"), CA, SECRET);
        assertThat(tls.format()).isEqualTo("cyphon-join:https://pool.example:7070," + CA + "," + SECRET);
        assertThat(JoinLine.parse(tls.format())).isEqualTo(tls);
        JoinLine plain = new JoinLine(URI.create("http://127.0.0.1:7070"), null, SECRET);
        assertThat(plain.format()).isEqualTo("cyphon-join:http://127.0.0.1:7070,-," + SECRET);
        assertThat(JoinLine.parse("  " + plain.format() + "\n")).isEqualTo(plain);
    }

    @Test
    void aUrlWithACommaReadsBack() {
        JoinLine l = new JoinLine(URI.create("http://127.0.0.1:7070/a,b"), null, SECRET);
        assertThat(JoinLine.parse(l.format()).coordinator()).isEqualTo(l.coordinator());
    }

    @Test
    void badLinesNameWhatIsWrongAndNeverEchoTheSecret() {
        assertThatThrownBy(() -> JoinLine.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> JoinLine.parse("join:http://x," + SECRET)).hasMessageContaining("cyphon-join:");
        assertThatThrownBy(() -> JoinLine.parse("cyphon-join:http://x," + SECRET))
                .hasMessageContaining("three");
        assertThatThrownBy(() -> JoinLine.parse("cyphon-join:ftp://x,-," + SECRET))
                .hasMessageContaining("http://HOST:PORT");
        assertThatThrownBy(() -> JoinLine.parse("cyphon-join:http://x:1,sha256:ABC," + SECRET))
                .hasMessageContaining("64 lowercase hex")
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> JoinLine.parse("cyphon-join:http://x:1,-,short"))
                .hasMessageContaining("secret")
                .hasMessageNotContaining("short");
        assertThat(new JoinLine(URI.create("http://x:1"), null, SECRET).toString())
                .doesNotContain(SECRET);
    }
}
