package org.cyphon.agent.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The X11 protocol client and the authority file reader against a real Xvfb and real xauth files. */
class X11ConnectionTest {

    @TempDir
    Path dir;

    @Test
    void xvfbRefusesAConnectionWithoutTheCookieAndAcceptsOneWithIt() throws Exception {
        try (XvfbDisplay x = XvfbDisplay.start(dir)) {
            Path socket = XvfbDisplay.SOCKET_DIR.resolve("X" + x.number);

            assertThatThrownBy(() -> X11Connection.open(socket, null, Duration.ofSeconds(5)))
                    .isInstanceOf(X11ConnectionRefusedException.class);
            byte[] wrong = new byte[16];
            assertThatThrownBy(() -> X11Connection.open(socket, wrong, Duration.ofSeconds(5)))
                    .isInstanceOf(X11ConnectionRefusedException.class);

            try (X11Connection c =
                    X11Connection.open(socket, HexFormat.of().parseHex(x.cookieHex), Duration.ofSeconds(5))) {
                // The server's idle counter, grown past a second (no input since the server started).
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> c.idle().compareTo(Duration.ofSeconds(1)) >= 0);
                Duration first = c.idle();
                x.client("xdotool", "mousemove", "5", "5");
                Duration afterInput = c.idle();
                // xprintidle (libXss) asks the same server the same question: compare with it.
                long xprintidle = Long.parseLong(x.client("xprintidle"));
                Duration again = c.idle();

                assertThat(afterInput).isLessThan(first); // the input reset the counter
                assertThat(xprintidle).isBetween(afterInput.toMillis(), again.toMillis());
            }
        }
    }

    @Test
    void rawInputEventsArriveForXtestKeysAndMotionAndNothingArrivesWithoutInput() throws Exception {
        try (XvfbDisplay x = XvfbDisplay.start(dir)) {
            Path socket = XvfbDisplay.SOCKET_DIR.resolve("X" + x.number);
            try (X11Connection c =
                    X11Connection.open(socket, HexFormat.of().parseHex(x.cookieHex), Duration.ofSeconds(5))) {
                c.selectRawInput();
                assertThat(c.awaitInput(Duration.ofMillis(300)))
                        .as("no input yet")
                        .isFalse();

                x.client("xdotool", "key", "q");
                assertThat(c.awaitInput(Duration.ofSeconds(5)))
                        .as("a key press")
                        .isTrue();
                while (c.awaitInput(Duration.ofMillis(300))) {
                    // the release and the XTEST device's duplicates
                }
                // Relative: xdotool's absolute mousemove warps the pointer, which no device reports.
                x.client("xdotool", "mousemove_relative", "30", "31");
                assertThat(c.awaitInput(Duration.ofSeconds(5)))
                        .as("a pointer motion")
                        .isTrue();
            }
        }
    }

    @Test
    void readsTheAuthorityFileThatXauthWrites() throws Exception {
        Path file = dir.resolve("Xauthority");
        XvfbDisplay.run(
                Map.of(),
                "xauth",
                "-f",
                file.toString(),
                "add",
                ":7",
                "MIT-MAGIC-COOKIE-1",
                "00112233445566778899aabbccddeeff");
        XvfbDisplay.run(
                Map.of(),
                "xauth",
                "-f",
                file.toString(),
                "add",
                "otherhost/unix:7",
                "MIT-MAGIC-COOKIE-1",
                "ffeeddccbbaa99887766554433221100");
        XvfbDisplay.run(
                Map.of(),
                "xauth",
                "-f",
                file.toString(),
                "add",
                ":8",
                "MIT-MAGIC-COOKIE-1",
                "0000000000000000000000000000000f");
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();

        List<XAuthority.Entry> entries = XAuthority.read(file);
        List<String> forSeven = XAuthority.localCookies(entries, 7, host).stream()
                .map(HexFormat.of()::formatHex)
                .toList();

        assertThat(entries).hasSize(3);
        assertThat(entries.get(0).family()).isEqualTo(XAuthority.FAMILY_LOCAL);
        assertThat(entries.get(0).address()).isEqualTo(host);
        // This host's cookie first, the other host's local one after it, display 8's not at all.
        assertThat(forSeven).containsExactly("00112233445566778899aabbccddeeff", "ffeeddccbbaa99887766554433221100");
    }
}
