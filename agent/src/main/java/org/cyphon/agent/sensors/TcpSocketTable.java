package org.cyphon.agent.sensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The TCP sockets of a network namespace, from {@code /proc/PID/net/tcp} and {@code tcp6}
 * (proc(5)): each line's local and remote address as hex {@code ADDR:PORT}, the state (01
 * ESTABLISHED, 0A LISTEN) and the socket's inode, which {@code /proc/PID/fd} links name as
 * {@code socket:[INODE]}.
 */
final class TcpSocketTable {

    static final int ESTABLISHED = 0x01;
    static final int LISTEN = 0x0A;

    /** One socket; addresses stay in the kernel's hex form, enough to compare them. */
    record Socket(String localAddress, int localPort, String remoteAddress, int remotePort, int state, long inode) {
        String remote() {
            return remoteAddress + ":" + remotePort;
        }

        String local() {
            return localAddress + ":" + localPort;
        }
    }

    private TcpSocketTable() {}

    /** Both tables of the process's network namespace; empty when unreadable. */
    static List<Socket> of(Path procDir, long pid) {
        List<Socket> out = new ArrayList<>();
        Path net = procDir.resolve(Long.toString(pid)).resolve("net");
        for (String table : new String[] {"tcp", "tcp6"}) {
            try {
                out.addAll(parse(Files.readString(net.resolve(table))));
            } catch (IOException e) {
                // No IPv6, or the process is gone.
            }
        }
        return out;
    }

    static List<Socket> parse(String table) {
        List<Socket> out = new ArrayList<>();
        for (String line : table.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10 || !f[0].endsWith(":")) continue; // the header, or a short line
            String[] local = f[1].split(":");
            String[] remote = f[2].split(":");
            out.add(new Socket(
                    local[0],
                    Integer.parseInt(local[1], 16),
                    remote[0],
                    Integer.parseInt(remote[1], 16),
                    Integer.parseInt(f[3], 16),
                    Long.parseLong(f[9])));
        }
        return out;
    }
}
