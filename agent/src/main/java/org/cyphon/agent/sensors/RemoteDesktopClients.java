package org.cyphon.agent.sensors;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cyphon.core.owner.SessionInfo;

/**
 * People using this machine through a remote desktop: a remote-desktop server process (xrdp,
 * Xvnc, x11vnc, wayvnc, GNOME Remote Desktop, ...) with an established TCP connection that came in
 * on a port it listens on. A server with no client connected is no one at the desk.
 *
 * <p>One RDP login through xrdp also shows as a connection from xrdp into a local Xvnc; a
 * connection whose far end is another remote-desktop server's socket is that plumbing, not a
 * second person, and is left out.
 */
final class RemoteDesktopClients {

    /** Kernel command names (cut to 15 bytes, as comm is) of remote-desktop servers, and their kind. */
    private static final Map<String, String> SERVERS = Map.ofEntries(
            Map.entry("xrdp", "rdp"),
            Map.entry("gnome-remote-de", "rdp"), // gnome-remote-desktop-daemon
            Map.entry("freerdp-shadow-", "rdp"), // freerdp-shadow-cli
            Map.entry("Xvnc", "vnc"),
            Map.entry("Xtigervnc", "vnc"),
            Map.entry("Xtightvnc", "vnc"),
            Map.entry("x0vncserver", "vnc"),
            Map.entry("x11vnc", "vnc"),
            Map.entry("wayvnc", "vnc"),
            Map.entry("vino-server", "vnc"),
            Map.entry("krfb", "vnc"),
            Map.entry("vncserver-x11-c", "vnc")); // RealVNC's vncserver-x11-core

    private record Server(long pid, String kind, String user, List<TcpSocketTable.Socket> sockets) {}

    private RemoteDesktopClients() {}

    /** The remote-desktop clients connected now, one session each. */
    static List<SessionInfo> find(Path procDir) {
        List<Server> servers = new ArrayList<>();
        for (long pid : ProcessFiles.pids(procDir)) {
            String kind = SERVERS.get(ProcessFiles.comm(procDir, pid));
            if (kind == null) continue;
            Set<Long> inodes = socketInodes(procDir, pid);
            if (inodes.isEmpty()) continue;
            List<TcpSocketTable.Socket> sockets = TcpSocketTable.of(procDir, pid).stream()
                    .filter(s -> inodes.contains(s.inode()))
                    .toList();
            servers.add(new Server(pid, kind, owner(procDir, pid), sockets));
        }
        // Endpoints held by remote-desktop servers: a connection coming from one is plumbing.
        Set<String> serverEnds = new HashSet<>();
        Set<Integer> listening = new HashSet<>();
        for (Server s : servers) {
            for (TcpSocketTable.Socket sock : s.sockets()) {
                serverEnds.add(sock.local());
                if (sock.state() == TcpSocketTable.LISTEN) listening.add(sock.localPort());
            }
        }
        // xrdp hands each connection to a child that does not hold the listening socket: any
        // remote-desktop server's listening port in the same table counts as the way in.
        Map<String, SessionInfo> sessions = new HashMap<>();
        for (Server s : servers) {
            for (TcpSocketTable.Socket sock : s.sockets()) {
                if (sock.state() != TcpSocketTable.ESTABLISHED || !listening.contains(sock.localPort())) continue;
                if (serverEnds.contains(sock.remote())) continue;
                String id = s.kind() + ":" + sock.remote();
                sessions.putIfAbsent(id, new SessionInfo(id, s.user(), s.kind(), true, true, false, null));
            }
        }
        return List.copyOf(sessions.values());
    }

    private static Set<Long> socketInodes(Path procDir, long pid) {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds =
                Files.newDirectoryStream(procDir.resolve(Long.toString(pid)).resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:["))
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                } catch (IOException | NumberFormatException e) {
                    // closed meanwhile, or not a socket
                }
            }
        } catch (IOException e) {
            // gone, or not ours to read
        }
        return inodes;
    }

    private static String owner(Path procDir, long pid) {
        try {
            return Files.getOwner(procDir.resolve(Long.toString(pid))).getName();
        } catch (IOException e) {
            return "?";
        }
    }
}
