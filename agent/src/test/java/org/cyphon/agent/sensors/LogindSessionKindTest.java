package org.cyphon.agent.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.cyphon.core.owner.SessionInfo;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How logind's session properties and inhibitor rows become what the sensor reports. Fakes
 * nothing: the inputs are the values logind puts on the wire, as dbus-java hands them over.
 */
class LogindSessionKindTest {

    @ParameterizedTest(name = "Type={0} Service={1} -> {2}")
    @CsvSource({
        "x11,         gdm-password,          x11",
        "wayland,     gdm-password,          wayland",
        "wayland,     sddm,                  wayland",
        "tty,         login,                 tty",
        "tty,         sshd,                  ssh",
        "unspecified, sshd,                  ssh",
        "x11,         xrdp-sesman,           rdp",
        "x11,         xrdp,                  rdp",
        "wayland,     gnome-remote-desktop,  rdp",
        "x11,         tigervnc,              vnc",
        "x11,         vncserver,             vnc",
        "mir,         lightdm,               other",
        "unspecified, systemd-user,          other",
        "'',          '',                    other",
    })
    void logindTypeAndPamServiceNameTheKind(String type, String service, String kind) {
        assertThat(LogindSessionKind.of(type, service)).isEqualTo(kind);
    }

    @Test
    void desktopSharingSessionsAreRemoteEvenWhenLogindSaysNot() {
        assertThat(LogindSessionKind.isRemote("rdp", false)).isTrue();
        assertThat(LogindSessionKind.isRemote("vnc", false)).isTrue();
        assertThat(LogindSessionKind.isRemote("ssh", true)).isTrue();
        assertThat(LogindSessionKind.isRemote("ssh", false)).isFalse(); // ssh from the desk to itself
        assertThat(LogindSessionKind.isRemote("x11", false)).isFalse();
    }

    @Test
    void idleSinceHintInMicrosecondsSinceTheEpochBecomesAnInstantAndZeroMeansUnknown() {
        Map<String, Variant<?>> idle = Map.of(
                "Type",
                new Variant<>("wayland"),
                "Class",
                new Variant<>("user"),
                "Service",
                new Variant<>("gdm-password"),
                "Name",
                new Variant<>("alice"),
                "State",
                new Variant<>("online"),
                "Active",
                new Variant<>(false),
                "Remote",
                new Variant<>(false),
                "IdleHint",
                new Variant<>(true),
                "IdleSinceHint",
                new Variant<>(new UInt64(1_700_000_000_123_456L)));

        SessionInfo info = LogindSessionProperties.from(idle).toSessionInfo("3", "listed-name");

        assertThat(info)
                .isEqualTo(new SessionInfo(
                        "3", "alice", "wayland", false, false, true, Instant.parse("2023-11-14T22:13:20.123456Z")));

        Map<String, Variant<?>> notIdle = Map.of(
                "Type",
                new Variant<>("tty"),
                "Class",
                new Variant<>("user"),
                "IdleSinceHint",
                new Variant<>(new UInt64(0)));
        assertThat(LogindSessionProperties.from(notIdle).toSessionInfo("4", "bob"))
                .isEqualTo(new SessionInfo("4", "bob", "tty", false, false, false, null));
    }

    @Test
    void greetersLockScreensBackgroundAndClosingSessionsAreNotAPersonsSession() {
        assertThat(session("user", "active").isPersonsSession()).isTrue();
        assertThat(session("user", "online").isPersonsSession()).isTrue();
        assertThat(session("user-early", "active").isPersonsSession()).isTrue();
        assertThat(session("user", "closing").isPersonsSession()).isFalse();
        assertThat(session("greeter", "active").isPersonsSession()).isFalse();
        assertThat(session("lock-screen", "active").isPersonsSession()).isFalse();
        assertThat(session("background", "active").isPersonsSession()).isFalse();
        assertThat(session("manager", "active").isPersonsSession()).isFalse();
        assertThat(LogindSessionProperties.from(Map.of()).isPersonsSession()).isFalse();
    }

    @Test
    void onlyInhibitorsWhoseWhatListNamesIdleCount() {
        assertThat(inhibitor("idle").inhibitsIdle()).isTrue();
        assertThat(inhibitor("sleep:idle").inhibitsIdle()).isTrue();
        assertThat(inhibitor("idle:shutdown").inhibitsIdle()).isTrue();
        assertThat(inhibitor("sleep").inhibitsIdle()).isFalse();
        assertThat(inhibitor("shutdown:sleep").inhibitsIdle()).isFalse();
        assertThat(inhibitor("handle-lid-switch:handle-power-key").inhibitsIdle())
                .isFalse();
        assertThat(inhibitor("").inhibitsIdle()).isFalse();
    }

    private static LogindSessionProperties session(String sessionClass, String state) {
        return LogindSessionProperties.from(
                Map.of("Class", new Variant<>(sessionClass), "State", new Variant<>(state)));
    }

    private static LogindInhibitor inhibitor(String what) {
        return new LogindInhibitor(what, "someone", "because", "block", new UInt32(1000), new UInt32(1));
    }
}
