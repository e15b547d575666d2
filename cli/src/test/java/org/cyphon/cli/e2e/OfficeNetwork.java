package org.cyphon.cli.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small office LAN on this machine, made of Linux network namespaces: one namespace holds a
 * bridge (the office switch), and every host (the coordinator's server, each desk, an admin's
 * laptop, an attacker) is a namespace of its own with one veth cable into the bridge and an
 * address on {@value #SUBNET}.0/24. No namespace has a default route and the root namespace gets no
 * interface and no address, so nothing here can reach, or be reached from, anything off the office
 * (and this machine's own network is untouched).
 *
 * <p>Everything it makes is named {@code cyoffice-PID-...} (PID: this JVM), so a run can find and
 * remove what a crashed earlier run left ({@link #sweepLeftovers}) without touching a run in
 * progress in another JVM. {@link #close} removes its namespaces (and so every veth and the
 * bridge) and kills whatever still runs in them, also when the test failed; a shutdown hook does
 * the same if the JVM is stopped first.
 *
 * <p>Processes enter a host with {@code nsenter --net=/run/netns/NAME}, not {@code ip netns exec}:
 * the latter also remounts {@code /sys} for the namespace, which hides {@code /sys/fs/cgroup}, and
 * the agents need the real cgroup hierarchy for their job sandbox.
 */
final class OfficeNetwork implements AutoCloseable {
    static final String PREFIX = "cyoffice-";
    static final String SUBNET = "10.231.0";
    private static final Pattern OURS = Pattern.compile("^" + PREFIX + "(\\d+)-");

    /** A host on the office LAN: its namespace, its address and the bridge port its cable plugs into. */
    record Host(String name, String netns, String address, String bridgePort) {
        /** The command prefix that runs a program on this host. */
        List<String> enter() {
            return List.of("nsenter", "--net=/run/netns/" + netns);
        }
    }

    final String id;
    private final String bridgeNs;
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final Thread onJvmExit = new Thread(this::removeQuietly, "office-network-cleanup");
    private boolean closed;

    private OfficeNetwork(String id) {
        this.id = id;
        this.bridgeNs = id + "-switch";
    }

    /** Builds the switch; hosts are plugged in with {@link #plug}. */
    static OfficeNetwork build() throws IOException, InterruptedException {
        sweepLeftovers();
        OfficeNetwork net = new OfficeNetwork(PREFIX + ProcessHandle.current().pid());
        Runtime.getRuntime().addShutdownHook(net.onJvmExit);
        try {
            ip("netns", "add", net.bridgeNs);
            ip("-n", net.bridgeNs, "link", "set", "lo", "up");
            ip("-n", net.bridgeNs, "link", "add", "br0", "type", "bridge");
            ip("-n", net.bridgeNs, "link", "set", "br0", "up");
        } catch (IOException | RuntimeException e) {
            net.close();
            throw e;
        }
        return net;
    }

    /** The cgroup sub-tree name this run's agents use (removed by {@link Office} with its processes). */
    String cgroupParent() {
        return id;
    }

    /** A new host {@code name} (short: it names the bridge port) at {@code SUBNET.octet}, cabled to the switch. */
    Host plug(String name, int octet) throws IOException, InterruptedException {
        String port = "p-" + name;
        if (port.length() > 15) throw new IllegalArgumentException("host name too long for an interface: " + name);
        Host h = new Host(name, id + "-" + name, SUBNET + "." + octet, port);
        ip("netns", "add", h.netns());
        hosts.put(name, h);
        ip("-n", h.netns(), "link", "set", "lo", "up");
        // Made in the switch's namespace with its far end straight in the host's: no name in the root namespace.
        ip("-n", bridgeNs, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", h.netns());
        ip("-n", bridgeNs, "link", "set", port, "master", "br0");
        ip("-n", bridgeNs, "link", "set", port, "up");
        // With its subnet's broadcast address, as DHCP and every desktop's network manager set it.
        ip("-n", h.netns(), "addr", "add", h.address() + "/24", "brd", "+", "dev", "eth0");
        ip("-n", h.netns(), "link", "set", "eth0", "up");
        return h;
    }

    /** Unplugs the host's cable at the switch: nothing it sends arrives, nothing reaches it. */
    void cut(Host h) throws IOException, InterruptedException {
        ip("-n", bridgeNs, "link", "set", h.bridgePort(), "down");
    }

    /** Plugs the cable back in. */
    void heal(Host h) throws IOException, InterruptedException {
        ip("-n", bridgeNs, "link", "set", h.bridgePort(), "up");
    }

    /**
     * Starts {@code tcpdump} on the switch, writing every frame that crosses it to {@code pcap};
     * returns once it listens.
     */
    Capture capture(Path pcap) throws IOException, InterruptedException {
        return tcpdump(bridgeNs, "br0", pcap, List.of());
    }

    /**
     * Starts {@code tcpdump} on the host's own cable ({@code eth0} in its namespace), keeping the
     * frames that match {@code filter} (tcpdump's expression, e.g. {@code udp port 9}).
     */
    Capture captureOn(Host h, Path pcap, String filter) throws IOException, InterruptedException {
        return tcpdump(h.netns(), "eth0", pcap, List.of(filter.split(" ")));
    }

    private Capture tcpdump(String netns, String iface, Path pcap, List<String> filter)
            throws IOException, InterruptedException {
        Path err = pcap.resolveSibling(pcap.getFileName() + ".stderr");
        List<String> cmd = new ArrayList<>(List.of(
                "nsenter",
                "--net=/run/netns/" + netns,
                "tcpdump",
                "-i",
                iface,
                "-s",
                "0",
                "-U",
                "--immediate-mode",
                "-n",
                "-Z",
                "root",
                "-w",
                pcap.toString()));
        cmd.addAll(filter);
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(err.toFile())
                .start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.readString(err).contains("listening on")) {
            if (!p.isAlive() || System.nanoTime() > until) {
                p.destroyForcibly();
                throw new IllegalStateException(
                        "tcpdump did not start on " + netns + " " + iface + ":\n" + Files.readString(err));
            }
            p.waitFor(50, TimeUnit.MILLISECONDS); // tcpdump's own start, not a state of ours
        }
        return new Capture(p, pcap);
    }

    /** A running capture on the switch. */
    static final class Capture {
        private final Process tcpdump;
        private final Path pcap;

        private Capture(Process tcpdump, Path pcap) {
            this.tcpdump = tcpdump;
            this.pcap = pcap;
        }

        /** What it has written so far (pcap framing included): frames appear as they cross (-U). */
        byte[] soFar() throws IOException {
            return Files.readAllBytes(pcap);
        }

        /** Stops it without waiting for anything more. */
        void stopNow() throws InterruptedException {
            tcpdump.destroy();
            if (!tcpdump.waitFor(10, TimeUnit.SECONDS)) tcpdump.destroyForcibly();
        }

        /**
         * Stops the capture and returns every byte it saw (pcap framing included), up to a marker
         * datagram sent from {@code from} to {@code to} after everything else: frames are written
         * in the order they crossed the switch, so once the marker is in the file, so is all that
         * came before it (stopping at once could lose the frames tcpdump had not written yet).
         */
        byte[] stop(Host from, Host to) throws IOException, InterruptedException {
            String marker = "office-capture-end-" + java.util.UUID.randomUUID();
            byte[] end = marker.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        List<String> send = new ArrayList<>(from.enter());
                        send.addAll(List.of("bash", "-c", "echo " + marker + " > /dev/udp/" + to.address() + "/9"));
                        run(send.toArray(String[]::new));
                        return indexOf(Files.readAllBytes(pcap), end) >= 0;
                    });
            tcpdump.destroy();
            if (!tcpdump.waitFor(10, TimeUnit.SECONDS)) tcpdump.destroyForcibly();
            return Files.readAllBytes(pcap);
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) if (hay[i + k] != needle[k]) continue outer;
            return i;
        }
        return -1;
    }

    @Override
    public void close() {
        removeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(onJvmExit);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is running this
        }
    }

    private synchronized void removeQuietly() {
        if (closed) return;
        closed = true;
        List<String> namespaces = new ArrayList<>();
        for (Host h : hosts.values()) namespaces.add(h.netns());
        namespaces.add(bridgeNs);
        for (String ns : namespaces) removeNamespace(ns);
    }

    /** Removes what runs of this test in JVMs that no longer exist left behind; a live run's are left alone. */
    static void sweepLeftovers() throws IOException, InterruptedException {
        for (String ns :
                run("ip", "netns", "list").lines().map(l -> l.split("\\s+")[0]).toList()) {
            Matcher m = OURS.matcher(ns);
            if (m.find() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) removeNamespace(ns);
        }
    }

    /** Kills every process still in the namespace (ours: agents, jobs, relays), then deletes it. */
    private static void removeNamespace(String ns) {
        try {
            for (String pid : run("ip", "netns", "pids", ns).lines().toList()) {
                ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
            }
            run("ip", "netns", "delete", ns);
        } catch (IOException | RuntimeException e) {
            System.err.println("office: could not remove network namespace " + ns + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        run(cmd.toArray(String[]::new));
    }

    /** Runs a short command; its stdout, or an exception with its output when it fails. */
    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + ": did not finish in 30 s");
        }
        if (p.exitValue() != 0)
            throw new IllegalStateException(String.join(" ", cmd) + ": exit " + p.exitValue() + ": " + out);
        return out;
    }
}
