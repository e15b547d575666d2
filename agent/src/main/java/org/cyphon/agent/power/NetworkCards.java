package org.cyphon.agent.power;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.cyphon.core.power.MacAddress;
import org.cyphon.core.protocol.NicView;

/**
 * The desk's network cards a magic packet could wake it through, read before it goes to sleep:
 * names and MAC addresses from {@code /sys/class/net/IFACE/address}, Wake-on-LAN from
 * {@code ethtool IFACE}, and where a broadcast reaches each card (its IPv4 broadcast addresses, or
 * those of the bridge it is enslaved to, as on a desk whose owner's VM shares the card).
 *
 * <p>Only Ethernet cards ({@code type} 1) count. Physical ones (a {@code device} link) when there
 * are any; otherwise (a virtual machine's or a container's cards, a test's veth) the virtual ones
 * that carry an IPv4 address.
 */
public final class NetworkCards {
    private static final String ETHERNET = "1";

    private final Path sysClassNet;
    private final Function<String, EthtoolWakeOn> ethtool;
    private final Function<String, List<String>> broadcasts;

    /**
     * @param sysClassNet {@code /sys/class/net}, or a copy of one
     * @param ethtool     Wake-on-LAN of a card by name ({@link #runEthtool} on a real desk)
     * @param broadcasts  the IPv4 broadcast addresses of an interface by name ({@link #broadcastsOf})
     */
    public NetworkCards(
            Path sysClassNet, Function<String, EthtoolWakeOn> ethtool, Function<String, List<String>> broadcasts) {
        this.sysClassNet = sysClassNet;
        this.ethtool = ethtool;
        this.broadcasts = broadcasts;
    }

    /** This machine's cards, through {@code /sys/class/net}, ethtool and the kernel's addresses. */
    public static NetworkCards ofThisMachine() {
        return new NetworkCards(Path.of("/sys/class/net"), NetworkCards::runEthtool, NetworkCards::broadcastsOf);
    }

    /**
     * Every card to report.
     *
     * @param wakeBroadcast agent.toml's {@code power.wake_broadcast}: used instead of each card's own
     *                      broadcast addresses when not empty
     */
    public List<NicView> read(List<String> wakeBroadcast) throws IOException {
        List<Card> physical = new ArrayList<>();
        List<Card> virtual = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(sysClassNet)) {
            for (Path d : dirs.sorted().toList()) {
                String name = d.getFileName().toString();
                if (!ETHERNET.equals(read(d.resolve("type")))) continue;
                MacAddress mac;
                try {
                    mac = MacAddress.parse(read(d.resolve("address")));
                } catch (IllegalArgumentException e) {
                    continue; // no address a packet could name
                }
                List<String> to = broadcasts.apply(name);
                Path master = d.resolve("master");
                if (to.isEmpty() && Files.isSymbolicLink(master))
                    to = broadcasts.apply(
                            Files.readSymbolicLink(master).getFileName().toString());
                Card c = new Card(name, mac, to);
                if (Files.exists(d.resolve("device"))) physical.add(c);
                else if (!to.isEmpty()) virtual.add(c);
            }
        }
        List<NicView> out = new ArrayList<>();
        for (Card c : physical.isEmpty() ? virtual : physical) {
            EthtoolWakeOn w = ethtool.apply(c.name());
            out.add(new NicView(
                    c.name(),
                    c.mac().toString(),
                    w.state(),
                    w.detail(),
                    wakeBroadcast.isEmpty() ? c.broadcasts() : wakeBroadcast));
        }
        return out;
    }

    private record Card(String name, MacAddress mac, List<String> broadcasts) {}

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** Runs {@code ethtool IFACE} (5 s at most) and reads its Wake-on-LAN lines. */
    public static EthtoolWakeOn runEthtool(String iface) {
        Process p;
        try {
            p = new ProcessBuilder("ethtool", iface).redirectErrorStream(true).start();
        } catch (IOException e) {
            return EthtoolWakeOn.notInstalled();
        }
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new EthtoolWakeOn(NicView.UNKNOWN, "ethtool " + iface + " did not answer within 5 s");
            }
            return EthtoolWakeOn.parse(out, iface);
        } catch (IOException e) {
            return new EthtoolWakeOn(NicView.UNKNOWN, "ethtool " + iface + ": " + e.getMessage());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new EthtoolWakeOn(NicView.UNKNOWN, "interrupted while reading ethtool " + iface);
        }
    }

    /** The IPv4 broadcast addresses of the interface, as the kernel has them for this process's network. */
    public static List<String> broadcastsOf(String iface) {
        try {
            NetworkInterface ni = NetworkInterface.getByName(iface);
            if (ni == null) return List.of();
            List<String> out = new ArrayList<>();
            for (InterfaceAddress a : ni.getInterfaceAddresses()) {
                if (a.getAddress() instanceof Inet4Address && a.getBroadcast() != null)
                    out.add(a.getBroadcast().getHostAddress());
            }
            return out;
        } catch (SocketException e) {
            return List.of();
        }
    }
}
