package org.cyphon.agent.sensors;

import java.util.Locale;

/**
 * Names what kind of session a logind session is, in {@link org.cyphon.core.owner.SessionInfo}'s
 * vocabulary ({@code x11}, {@code wayland}, {@code tty}, {@code ssh}, {@code rdp}, {@code vnc},
 * {@code other}).
 *
 * <p>The PAM service that opened the session says more than logind's {@code Type}: an xrdp
 * session is {@code Type=x11} and an ssh login is {@code Type=tty}, yet both mean someone is using
 * the machine from elsewhere (users' complaint: remote sessions not counted as in use). So the
 * service decides first and {@code Type} only for local logins.
 */
final class LogindSessionKind {

    private LogindSessionKind() {}

    /**
     * @param type    logind's {@code Type}: x11, wayland, tty, mir, unspecified (null allowed)
     * @param service logind's {@code Service}: the PAM service, e.g. sshd, xrdp-sesman, gdm-password
     * @return the kind; never null
     */
    static String of(String type, String service) {
        String svc = service == null ? "" : service.toLowerCase(Locale.ROOT);
        if (svc.contains("rdp") || svc.equals("gnome-remote-desktop")) {
            return "rdp";
        }
        if (svc.contains("vnc")) {
            return "vnc";
        }
        if (svc.equals("sshd") || svc.startsWith("sshd-") || svc.equals("ssh")) {
            return "ssh";
        }
        String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
        return switch (t) {
            case "x11", "wayland", "tty" -> t;
            default -> "other";
        };
    }

    /**
     * Whether the session is used from another machine. logind's {@code Remote} is set only when
     * PAM saw a remote host; desktop-sharing servers (xrdp, VNC) open sessions for people who are
     * by nature elsewhere, so those count as remote whatever logind says.
     */
    static boolean isRemote(String kind, boolean logindRemote) {
        return logindRemote || kind.equals("rdp") || kind.equals("vnc");
    }
}
