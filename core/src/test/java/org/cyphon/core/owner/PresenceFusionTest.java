package org.cyphon.core.owner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every signal, and the complaints about HTCondor's and BOINC's idle detection. */
class PresenceFusionTest {
    private static final Instant START = Instant.parse("2025-03-03T11:00:00Z");
    private static final Instant NOW = Instant.parse("2025-03-03T12:00:00Z");
    private static final PresenceSettings SETTINGS = PresenceSettings.defaults();

    private OwnerObservations obs = OwnerObservations.startingAt(START, SETTINGS);

    private Presence fuse() {
        return PresenceFusion.fuse(obs, NOW);
    }

    private void see(OwnerSignal s) {
        obs = obs.with(s);
    }

    private static Instant ago(int seconds) {
        return NOW.minusSeconds(seconds);
    }

    private static SessionInfo local(String user, boolean idleHint, Instant idleSince) {
        return new SessionInfo("2", user, "wayland", false, true, idleHint, idleSince);
    }

    @Test
    void idleForAtAMomentIsTheIdleTimeOfThePresenceSeenThen() {
        see(new InputSeen("evdev:/dev/input/event3", ago(3).plusNanos(250_000_001), ago(3).plusNanos(250_000_001)));
        Presence p = fuse();

        for (Instant m : List.of(
                NOW,
                NOW.plusNanos(1),
                NOW.plusMillis(999),
                NOW.plusSeconds(3600).plusNanos(999_999_999),
                ago(2),
                ago(3),
                ago(60))) {
            assertThat(p.idleForAt(m)).as(m.toString()).isEqualTo(p.at(m).idleFor());
        }
        assertThat(p.idleForAt(NOW)).isEqualTo(Duration.ofMillis(2750).minusNanos(1));
        assertThat(p.idleForAt(ago(60))).isZero();
    }

    @Test
    void recentInputIsPresenceAndSaysWhichDevice() {
        see(new InputSeen("evdev:/dev/input/event3", ago(3), ago(3)));

        Presence p = fuse();

        assertThat(p.present()).isTrue();
        assertThat(p.state()).isEqualTo(Presence.State.PRESENT);
        assertThat(p.idleFor()).isEqualTo(Duration.ofSeconds(3));
        assertThat(p.inputIdleFor()).isEqualTo(Duration.ofSeconds(3));
        assertThat(p.reasons().getFirst()).isEqualTo("keyboard/mouse input 3s ago (evdev:/dev/input/event3)");
    }

    @Test
    void theLatestInputOverAllSensorsCounts() {
        // X11 sees the USB keyboard whose events the one evdev device we can read does not carry.
        see(new InputSeen("evdev:/dev/input/event3", ago(1800), ago(1800)));
        see(new InputSeen("x11::0", ago(1), ago(20)));

        Presence p = fuse();

        assertThat(p.present()).isTrue();
        assertThat(p.idleFor()).isEqualTo(Duration.ofSeconds(20));
        assertThat(p.activity()).isEqualTo("keyboard/mouse input 20s ago (x11::0)");
    }

    @Test
    void inputLongAgoIsAway() {
        see(new InputSeen("evdev:/dev/input/event3", ago(61), ago(61)));

        Presence p = fuse();

        assertThat(p.present()).isFalse();
        assertThat(p.state()).isEqualTo(Presence.State.AWAY);
        assertThat(p.idleFor()).isEqualTo(Duration.ofSeconds(61));
        assertThat(p.presentUntil()).isEqualTo(ago(1));
    }

    @Test
    void noInputSensorIsNotPresenceAndIdleCountsFromWatching() {
        Presence p = fuse();

        assertThat(p.present()).isFalse();
        assertThat(p.idleFor()).isEqualTo(Duration.ofHours(1));
        assertThat(p.inputIdleFor()).isNull();
        assertThat(p.reasons().getFirst())
                .isEqualTo("no input sensor: idle time counts from when watching began 1h00m ago");
    }

    @Test
    void aHeadlessDeskSaysNobodyCanBeSeenRatherThanCountingFrom1970() {
        obs = obs.headless();

        Presence p = fuse();

        assertThat(p.present()).isFalse();
        assertThat(p.nobodySeen()).isTrue();
        assertThat(p.idleFor()).isEqualTo(Presence.IDLE_FOREVER);
        assertThat(p.idleSince()).isEqualTo(START);
        assertThat(p.at(NOW.plusSeconds(60)).nobodySeen()).isTrue();
        assertThat(p.reasons().getFirst())
                .isEqualTo("no input sensor: nobody can be seen at this desk, so it counts as long idle");
    }

    @Test
    void aHeadlessDeskWhereSomeoneShowsUpIsNoLongerUnseen() {
        obs = obs.headless();
        see(new InputSeen("evdev:/dev/input/event3", ago(3), ago(3)));

        Presence p = fuse();

        assertThat(p.nobodySeen()).isFalse();
        assertThat(p.present()).isTrue();
        assertThat(p.idleFor()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aDeskWithoutSensorsThatIsNotHeadlessCountsFromWhenWatchingBegan() {
        Presence p = fuse();

        assertThat(p.nobodySeen()).isFalse();
        assertThat(p.idleFor()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aSensorThatSawNothingSaysSo() {
        see(new InputSeen("evdev:/dev/input/event3", ago(5), null));

        Presence p = fuse();

        assertThat(p.present()).isFalse();
        assertThat(p.idleFor()).isEqualTo(Duration.ofHours(1));
        assertThat(p.activity()).isEqualTo("no keyboard/mouse input since watching began 1h00m ago");
    }

    @Test
    void aWirelessKeyboardSwitchedOffNeitherMakesTheOwnerPresentNorResetsIdleTime() {
        see(new InputSeen("evdev:/dev/input/event7", ago(600), ago(600)));
        // The keyboard is switched off: its device goes away and the agent drops the silent source.
        obs = obs.forgetSilent(ago(300));

        Presence p = fuse();

        assertThat(obs.latest()).isEmpty();
        assertThat(p.present()).isFalse();
        assertThat(p.idleFor()).isEqualTo(Duration.ofMinutes(10));
        assertThat(p.activity()).isEqualTo("keyboard/mouse input 10m00s ago (a sensor no longer reporting)");
    }

    @Test
    void waylandWithoutX11UsesLogindIdleHint() {
        // No X server to ask and no readable input device: logind's IdleHint/IdleSinceHint is all there is.
        see(new SessionsSeen("logind", ago(1), List.of(local("alice", true, ago(420))), List.of()));

        Presence p = fuse();

        assertThat(p.present()).isFalse();
        assertThat(p.idleFor()).isEqualTo(Duration.ofMinutes(7));
        assertThat(p.activity()).isEqualTo("session 2 (wayland of alice) idle for 7m00s (logind idle hint)");
    }

    @Test
    void aBusySessionIsPresenceOnlyWhenNoInputSensorCanSayMore() {
        see(new SessionsSeen("logind", ago(1), List.of(local("alice", false, ago(900))), List.of()));

        assertThat(fuse().present()).isTrue();
        assertThat(fuse().idleFor()).isZero();
        assertThat(fuse().activity())
                .isEqualTo("session 2 (wayland of alice) in use per logind, no input sensor to say more");

        // With evdev reporting, the hint only says the owner was active when it last flipped (15 min ago).
        see(new InputSeen("evdev:/dev/input/event3", ago(1), ago(1200)));
        assertThat(fuse().present()).isFalse();
        assertThat(fuse().idleFor()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void aSessionThatSaysNothingIsIgnored() {
        see(new InputSeen("evdev:/dev/input/event3", ago(1), ago(600)));
        see(new SessionsSeen("logind", ago(1), List.of(local("alice", false, null)), List.of()));

        assertThat(fuse().present()).isFalse();
        assertThat(fuse().idleFor()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void remoteSessionsArePresence() {
        see(new InputSeen("evdev:/dev/input/event3", ago(1), ago(3600)));
        see(new SessionsSeen(
                "logind",
                ago(1),
                List.of(
                        new SessionInfo("7", "alice", "ssh", true, true, false, null),
                        new SessionInfo("9", "bob", "rdp", true, true, false, null),
                        new SessionInfo("11", "carol", "vnc", false, true, false, null)),
                List.of()));

        Presence p = fuse();

        assertThat(p.present()).isTrue();
        assertThat(p.remoteSessions()).containsExactly("ssh of alice", "rdp of bob", "vnc of carol");
        assertThat(p.idleFor()).isZero();
        assertThat(p.reasons())
                .startsWith("remote session ssh of alice", "remote session rdp of bob", "remote session vnc of carol");
    }

    @Test
    void anIdleRemoteSessionIsActivityWhenItWentIdle() {
        see(new SessionsSeen(
                "logind",
                ago(1),
                List.of(new SessionInfo("7", "alice", "ssh", true, true, true, ago(400))),
                List.of()));

        Presence p = fuse();

        assertThat(p.present()).isFalse();
        assertThat(p.idleFor()).isEqualTo(Duration.ofSeconds(400));
        assertThat(p.activity()).isEqualTo("remote session ssh of alice idle for 6m40s");
    }

    @Test
    void remoteSessionsCanBeIgnoredAndSoCanUsers() {
        List<SessionInfo> sessions = List.of(new SessionInfo("7", "cyphon", "ssh", true, true, false, null));
        obs = OwnerObservations.startingAt(
                START,
                new PresenceSettings(
                        Duration.ofSeconds(60), null, Duration.ofMinutes(15), Set.of("cyphon"), List.of(), true));
        see(new SessionsSeen("logind", ago(1), sessions, List.of()));
        assertThat(fuse().present()).isFalse();

        obs = OwnerObservations.startingAt(
                START,
                new PresenceSettings(Duration.ofSeconds(60), null, Duration.ofMinutes(15), Set.of(), List.of(), false));
        see(new SessionsSeen("logind", ago(1), sessions, List.of()));
        assertThat(fuse().present()).isFalse();
    }

    @Test
    void aPlayingVideoIsPresenceWithoutInput() {
        see(new InputSeen("evdev:/dev/input/event3", ago(1), ago(1500)));
        see(new SessionsSeen("logind", ago(600), List.of(local("alice", false, null)), List.of("mpv: video playing")));

        Presence p = fuse();

        assertThat(p.present()).isTrue();
        assertThat(p.inhibited()).isTrue();
        assertThat(p.idleFor()).isZero();
        assertThat(p.inputIdleFor()).isEqualTo(Duration.ofMinutes(25));
        assertThat(p.reasons())
                .startsWith(
                        "idle inhibitor held by mpv: video playing",
                        "keyboard/mouse input 25m00s ago (evdev:/dev/input/event3)");
    }

    @Test
    void aPausedVideoLetsTheOwnerBeAwayCountingFromThePause() {
        see(new InputSeen("evdev:/dev/input/event3", ago(1), ago(1500)));
        see(new SessionsSeen("logind", ago(600), List.of(local("alice", false, null)), List.of("mpv: video playing")));
        see(new SessionsSeen("logind", ago(90), List.of(local("alice", false, null)), List.of()));

        Presence p = fuse();

        assertThat(p.inhibited()).isFalse();
        assertThat(p.present()).isFalse();
        assertThat(p.idleFor()).isEqualTo(Duration.ofSeconds(90));
        assertThat(p.activity()).isEqualTo("video, presentation or remote session ended 1m30s ago");
    }

    @Test
    void ignoredInhibitorsAreNotPresence() {
        obs = OwnerObservations.startingAt(
                START,
                new PresenceSettings(
                        Duration.ofSeconds(60), null, Duration.ofMinutes(15), Set.of(), List.of("GSD-Power"), true));
        see(new SessionsSeen("logind", ago(1), List.of(), List.of("gsd-power: screen lock")));

        assertThat(fuse().present()).isFalse();
        assertThat(fuse().inhibitors()).isEmpty();
    }

    @Test
    void ownerDemandAndPressure() {
        see(new LoadSeen("proc", ago(1), 1.7, 4, 3, 0, 1.5));

        Presence p = fuse();

        assertThat(p.demand().ownerCpus()).isEqualTo(1.7);
        assertThat(p.demand().cpuFraction()).isEqualTo(0.425);
        assertThat(p.reasons()).contains("owner uses 1.7 of 4 CPUs; pressure cpu 3%, memory 0%, io 1.5%");

        see(new LoadSeen("proc", NOW, 0.2, 4, -1, -1, -1));
        assertThat(fuse().reasons()).contains("owner uses 0.2 of 4 CPUs (no pressure stall information)");
        assertThat(fuse().load().size()).isEqualTo(2);
    }

    @Test
    void batteryExclusiveAppsAndGpu() {
        see(new PowerSeen("upower", ago(2), true, 54));
        see(new ExclusiveAppsSeen("procs", ago(2), List.of("steam")));
        see(new ExclusiveAppsSeen("zoom-watch", ago(2), List.of("zoom", "steam")));
        see(new GpuSeen("nvidia-smi", ago(2), 0.8));

        Presence p = fuse();

        assertThat(p.onBattery()).isTrue();
        assertThat(p.batteryPercent()).isEqualTo(54);
        assertThat(p.handsOff()).isTrue();
        assertThat(p.state()).isEqualTo(Presence.State.HANDS_OFF);
        assertThat(p.exclusiveApps()).containsExactly("steam", "zoom");
        assertThat(p.gpuBusy()).isEqualTo(0.8);
        assertThat(p.reasons())
                .contains("on battery (54%)", "exclusive app running: steam, zoom", "owner GPU 80% busy");
    }

    @Test
    void silentStateSourcesAreForgottenButInputIsAFact() {
        obs = OwnerObservations.startingAt(
                START,
                new PresenceSettings(
                        Duration.ofSeconds(60),
                        Duration.ofMinutes(2),
                        Duration.ofMinutes(15),
                        Set.of(),
                        List.of(),
                        true));
        see(new InputSeen("evdev:/dev/input/event3", ago(1800), ago(1800)));
        see(new PowerSeen("upower", ago(600), true, 10));
        see(new LoadSeen("proc", ago(600), 3.5, 4, 50, 0, 0));

        Presence p = fuse();

        assertThat(p.onBattery()).isFalse();
        assertThat(p.demand().known()).isFalse();
        assertThat(p.idleFor()).isEqualTo(Duration.ofMinutes(30));
        assertThat(p.reasons())
                .contains(
                        "upower silent for 10m00s: its last report is ignored",
                        "proc silent for 10m00s: its last report is ignored");
    }

    @Test
    void aLateSignalNeverRollsThePictureBack() {
        see(new InputSeen("evdev:/dev/input/event3", ago(5), ago(5)));
        see(new InputSeen("evdev:/dev/input/event3", ago(50), ago(50)));

        assertThat(fuse().idleFor()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theSameFactsSeenLater() {
        see(new InputSeen("evdev:/dev/input/event3", ago(30), ago(30)));
        Presence p = fuse();

        Presence later = p.at(NOW.plusSeconds(45));
        assertThat(later.present()).isFalse();
        assertThat(later.idleFor()).isEqualTo(Duration.ofSeconds(75));
        Presence earlier = p.at(ago(40));
        assertThat(earlier.present())
                .as("activity after that moment counts as presence then")
                .isTrue();
        assertThat(earlier.idleFor()).isZero();
    }

    @Test
    void fusionIsDeterministic() {
        see(new InputSeen("x11::0", ago(1), ago(9)));
        see(new InputSeen("evdev:/dev/input/event3", ago(9), ago(9)));
        see(new SessionsSeen(
                "logind",
                ago(1),
                List.of(new SessionInfo("7", "alice", "ssh", true, true, false, null)),
                List.of("vlc")));
        see(new LoadSeen("proc", ago(1), 0.5, 8, 1, 1, 1));

        assertThat(fuse()).isEqualTo(fuse());
        assertThat(fuse().reasons())
                .containsExactly(
                        "idle inhibitor held by vlc",
                        "remote session ssh of alice",
                        "keyboard/mouse input 9s ago (x11::0)",
                        "owner uses 0.5 of 8 CPUs; pressure cpu 1%, memory 1%, io 1%");
    }
}
