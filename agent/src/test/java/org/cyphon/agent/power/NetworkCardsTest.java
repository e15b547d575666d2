package org.cyphon.agent.power;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cyphon.core.protocol.NicView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cards a desk reports before sleeping, from a copy of {@code /sys/class/net} (the files the
 * kernel has there: {@code type}, {@code address}, the {@code device} and {@code master} links) and
 * real {@code ethtool} output.
 */
class NetworkCardsTest {
    @TempDir
    Path tmp;

    /** The copy of /sys/class/net; devices live beside it, as under /sys/devices. */
    private Path sys;

    @org.junit.jupiter.api.BeforeEach
    void sysfs() throws IOException {
        sys = Files.createDirectories(tmp.resolve("class/net"));
    }

    private static String ethtool(String file) {
        try (InputStream in = NetworkCardsTest.class.getResourceAsStream("/ethtool/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** An interface directory: type 1 is Ethernet, 772 loopback; {@code physical}: a device link. */
    private void iface(String name, int type, String mac, boolean physical, String master) throws IOException {
        Path d = Files.createDirectories(sys.resolve(name));
        Files.writeString(d.resolve("type"), type + "\n");
        Files.writeString(d.resolve("address"), mac + "\n");
        if (physical)
            Files.createSymbolicLink(d.resolve("device"), Files.createDirectories(tmp.resolve("devices/pci/" + name)));
        if (master != null) Files.createSymbolicLink(d.resolve("master"), sys.resolve(master));
    }

    @Test
    void readsEthtoolsTwoLines() {
        assertThat(EthtoolWakeOn.parse(ethtool("e1000e-wol-g.txt"), "eth0"))
                .isEqualTo(new EthtoolWakeOn(NicView.ENABLED, "Supports Wake-on: pumbg; Wake-on: g"));
        EthtoolWakeOn off = EthtoolWakeOn.parse(ethtool("e1000e-wol-d.txt"), "eth0");
        assertThat(off.state()).isEqualTo(NicView.DISABLED);
        assertThat(off.detail()).contains("Wake-on: d").contains("ethtool -s eth0 wol g");
        assertThat(EthtoolWakeOn.parse(ethtool("no-wol.txt"), "eth0").state()).isEqualTo(NicView.UNSUPPORTED);
        EthtoolWakeOn veth = EthtoolWakeOn.parse(ethtool("veth.txt"), "eth0");
        assertThat(veth.state()).isEqualTo(NicView.UNKNOWN);
        assertThat(veth.detail()).contains("shows no Wake-on-LAN settings for eth0");
        assertThat(EthtoolWakeOn.notInstalled().detail()).contains("ethtool is not installed");
    }

    @Test
    void reportsThePhysicalCardsWithTheirWakeOnLanAndBroadcasts() throws IOException {
        iface("lo", 772, "00:00:00:00:00:00", false, null);
        iface("enp3s0", 1, "52:54:00:aa:bb:01", true, null);
        iface("eno1", 1, "52:54:00:aa:bb:02", true, "br0");
        iface("br0", 1, "52:54:00:aa:bb:02", false, null);
        iface("docker0", 1, "02:42:ac:11:00:01", false, null);
        Map<String, String> ethtool = Map.of("enp3s0", "e1000e-wol-g.txt", "eno1", "e1000e-wol-d.txt");
        Map<String, List<String>> broadcasts = Map.of(
                "enp3s0", List.of("10.1.2.255"), "br0", List.of("10.1.3.255"), "docker0", List.of("172.17.255.255"));
        NetworkCards cards = new NetworkCards(
                sys, n -> EthtoolWakeOn.parse(ethtool(ethtool.get(n)), n), n -> broadcasts.getOrDefault(n, List.of()));

        List<NicView> found = cards.read(List.of());
        // The owner's VM bridge and docker's are not cards a packet wakes; eno1 is reached through its bridge.
        assertThat(found).extracting(NicView::name).containsExactly("eno1", "enp3s0");
        assertThat(found.get(0))
                .isEqualTo(new NicView(
                        "eno1",
                        "52:54:00:aa:bb:02",
                        NicView.DISABLED,
                        EthtoolWakeOn.parse(ethtool("e1000e-wol-d.txt"), "eno1").detail(),
                        List.of("10.1.3.255")));
        assertThat(found.get(1).wakeOnLan()).isEqualTo(NicView.ENABLED);
        assertThat(found.get(1).broadcasts()).containsExactly("10.1.2.255");

        // agent.toml's power.wake_broadcast replaces what the cards say.
        assertThat(cards.read(List.of("10.9.9.255")))
                .allSatisfy(n -> assertThat(n.broadcasts()).containsExactly("10.9.9.255"));
    }

    @Test
    void withoutPhysicalCardsTheVirtualOnesWithAnAddressCount() throws IOException {
        // A network namespace's veth, as in the office test: no device link.
        iface("lo", 772, "00:00:00:00:00:00", false, null);
        iface("eth0", 1, "ba:5e:00:00:00:0b", false, null);
        iface("dummy0", 1, "ba:5e:00:00:00:0c", false, null);
        NetworkCards cards = new NetworkCards(
                sys, n -> EthtoolWakeOn.notInstalled(), n -> n.equals("eth0") ? List.of("10.231.0.255") : List.of());
        List<NicView> found = cards.read(List.of());
        assertThat(found).extracting(NicView::name).containsExactly("eth0");
        assertThat(found.getFirst().wakeOnLan()).isEqualTo(NicView.UNKNOWN);
        assertThat(found.getFirst().mayWake()).isTrue();
    }
}
