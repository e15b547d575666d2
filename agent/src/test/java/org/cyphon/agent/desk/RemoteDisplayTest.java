package org.cyphon.agent.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The owner's screen is served where the spec says, on the loopback address only. */
class RemoteDisplayTest {

    @Test
    void vncServesTheGuestsScreenOnItsPort() throws Exception {
        try (DeskFixture desk = new DeskFixture()) {
            int port = freePort(5900);
            QemuDeskVm vm = desk.vm(
                    desk.spec(Accel.TCG, new DeskSpec.Display(DeskSpec.DisplayKind.VNC, port), DeskSpec.Network.USER));
            vm.start();
            assertThat(vm.status().display()).isEqualTo("vnc 127.0.0.1:" + port);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                // A VNC server opens with its protocol version.
                assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII))
                        .startsWith("RFB 003.");
            }
        }
    }

    @Test
    void spiceListensOnItsPort() throws Exception {
        try (DeskFixture desk = new DeskFixture()) {
            int port = freePort(5930);
            QemuDeskVm vm = desk.vm(desk.spec(
                    Accel.TCG, new DeskSpec.Display(DeskSpec.DisplayKind.SPICE, port), DeskSpec.Network.NONE));
            vm.start();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
                assertThat(s.isConnected()).isTrue();
            }
        }
    }

    /** A port at or above {@code from} that nothing listens on now. */
    private static int freePort(int from) {
        for (int port = from; port < from + 200; port++) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (Exception taken) {
                // try the next one
            }
        }
        throw new AssertionError("no free port from " + from);
    }
}
